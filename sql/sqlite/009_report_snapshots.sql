-- Published report snapshots (issue 14): a portfolio report kept under a name, immutable. Each format
-- the live report has is stored as it was rendered at publication (snapshot_renderings), so a snapshot
-- is served back byte for byte whatever changed since; the state it was built from (its projects with
-- their health, every milestone, every contribution) is kept too, for "what changed" between two
-- snapshots or a snapshot and now. Only deleting a snapshot (an admin, audited) removes rows.
CREATE TABLE report_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    as_of TEXT NOT NULL,
    group_by TEXT NOT NULL,
    filters TEXT NOT NULL,
    list_limit INTEGER NOT NULL,
    published_by INTEGER,
    published_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    schedule_period TEXT UNIQUE
);

-- body: the rendering's bytes as text (json, csv, md, html: UTF-8), or base64 (xlsx); sha256 of the bytes.
CREATE TABLE snapshot_renderings (
    snapshot_id INTEGER NOT NULL REFERENCES report_snapshots(id),
    format TEXT NOT NULL,
    content_type TEXT NOT NULL,
    encoding TEXT NOT NULL,
    body TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, format)
);

CREATE TABLE snapshot_projects (
    snapshot_id INTEGER NOT NULL REFERENCES report_snapshots(id),
    project_id INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    declared_health TEXT,
    declared_reason TEXT,
    computed_health TEXT,
    health_reasons TEXT NOT NULL,
    effective_health TEXT,
    baselines INTEGER NOT NULL,
    budget_eur INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, project_id)
);
CREATE INDEX snapshot_projects_project ON snapshot_projects(project_id);

CREATE TABLE snapshot_milestones (
    snapshot_id INTEGER NOT NULL REFERENCES report_snapshots(id),
    milestone_id INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    baseline_date TEXT NOT NULL,
    forecast_date TEXT,
    actual_date TEXT,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, milestone_id)
);

CREATE TABLE snapshot_contributions (
    snapshot_id INTEGER NOT NULL REFERENCES report_snapshots(id),
    contribution_id INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    partner_id INTEGER NOT NULL,
    partner_code TEXT NOT NULL,
    state TEXT NOT NULL,
    amount_eur INTEGER NOT NULL,
    person_months REAL NOT NULL,
    PRIMARY KEY (snapshot_id, contribution_id)
);

-- The periods a schedule published (report::SnapshotSchedule): the lease of a period, kept when its
-- snapshot is deleted, so that a deleted scheduled snapshot is not published again.
CREATE TABLE snapshot_schedule_runs (
    period TEXT NOT NULL PRIMARY KEY,
    snapshot_id INTEGER NOT NULL,
    published_at TEXT NOT NULL
);
