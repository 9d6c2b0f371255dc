-- Published report snapshots (issue 14): a portfolio report kept under a name, immutable. Each format
-- the live report has is stored as it was rendered at publication (snapshot_renderings), so a snapshot
-- is served back byte for byte whatever changed since; the state it was built from (its projects with
-- their health, every milestone, every contribution) is kept too, for "what changed" between two
-- snapshots or a snapshot and now. Only deleting a snapshot (an admin, audited) removes rows.
CREATE TABLE report_snapshots (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(400) NOT NULL UNIQUE,
    as_of CHAR(10) NOT NULL,
    group_by VARCHAR(40) NOT NULL,
    filters TEXT NOT NULL,
    list_limit BIGINT NOT NULL,
    published_by BIGINT,
    published_at CHAR(20) NOT NULL,
    content_hash CHAR(64) NOT NULL,
    schedule_period VARCHAR(100) UNIQUE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- body: the rendering's bytes as text (json, csv, md, html: UTF-8), or base64 (xlsx); sha256 of the bytes.
CREATE TABLE snapshot_renderings (
    snapshot_id BIGINT NOT NULL,
    format VARCHAR(8) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    encoding VARCHAR(8) NOT NULL,
    body LONGTEXT NOT NULL,
    sha256 CHAR(64) NOT NULL,
    PRIMARY KEY (snapshot_id, format),
    FOREIGN KEY (snapshot_id) REFERENCES report_snapshots(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE snapshot_projects (
    snapshot_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    code VARCHAR(200) NOT NULL,
    title VARCHAR(800) NOT NULL,
    status VARCHAR(40) NOT NULL,
    declared_health VARCHAR(10),
    declared_reason TEXT,
    computed_health VARCHAR(10),
    health_reasons MEDIUMTEXT NOT NULL,
    effective_health VARCHAR(10),
    baselines BIGINT NOT NULL,
    budget_eur BIGINT NOT NULL,
    PRIMARY KEY (snapshot_id, project_id),
    FOREIGN KEY (snapshot_id) REFERENCES report_snapshots(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX snapshot_projects_project ON snapshot_projects(project_id);

CREATE TABLE snapshot_milestones (
    snapshot_id BIGINT NOT NULL,
    milestone_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    title VARCHAR(800) NOT NULL,
    baseline_date CHAR(10) NOT NULL,
    forecast_date CHAR(10),
    actual_date CHAR(10),
    status VARCHAR(40) NOT NULL,
    progress BIGINT NOT NULL,
    PRIMARY KEY (snapshot_id, milestone_id),
    FOREIGN KEY (snapshot_id) REFERENCES report_snapshots(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE snapshot_contributions (
    snapshot_id BIGINT NOT NULL,
    contribution_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    partner_code VARCHAR(40) NOT NULL,
    state VARCHAR(20) NOT NULL,
    amount_eur BIGINT NOT NULL,
    person_months DOUBLE NOT NULL,
    PRIMARY KEY (snapshot_id, contribution_id),
    FOREIGN KEY (snapshot_id) REFERENCES report_snapshots(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The periods a schedule published (report::SnapshotSchedule): the lease of a period, kept when its
-- snapshot is deleted, so that a deleted scheduled snapshot is not published again.
CREATE TABLE snapshot_schedule_runs (
    period VARCHAR(100) NOT NULL PRIMARY KEY,
    snapshot_id BIGINT NOT NULL,
    published_at CHAR(20) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
