-- captrack core schema (MySQL/MariaDB, InnoDB, utf8mb4). Dates are 'YYYY-MM-DD' text and times RFC 3339 UTC text in both
-- dialects, so one SQL code path compares and sorts them the same way.

CREATE TABLE frameworks (
    code VARCHAR(40) PRIMARY KEY,
    name VARCHAR(400) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE partners (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    code VARCHAR(40) NOT NULL UNIQUE,
    name VARCHAR(400) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    framework VARCHAR(40) NOT NULL,
    status VARCHAR(32) NOT NULL,
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL,
    FOREIGN KEY (framework) REFERENCES frameworks(code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE missions (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    code VARCHAR(40) NOT NULL UNIQUE,
    name VARCHAR(400) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    region VARCHAR(400),
    start_date CHAR(10),
    end_date CHAR(10),
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE capability_areas (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    code VARCHAR(40) NOT NULL UNIQUE,
    name VARCHAR(400) NOT NULL,
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE objectives (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    code VARCHAR(40) NOT NULL UNIQUE,
    name VARCHAR(400) NOT NULL,
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE users (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    username VARCHAR(100) NOT NULL UNIQUE,
    display_name VARCHAR(400) NOT NULL,
    role VARCHAR(32) NOT NULL,
    partner_id BIGINT,
    password_hash VARCHAR(255),
    disabled TINYINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL,
    FOREIGN KEY (partner_id) REFERENCES partners(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE projects (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    code VARCHAR(40) NOT NULL UNIQUE,
    title VARCHAR(400) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    description TEXT,
    capability_area VARCHAR(40),
    status VARCHAR(32) NOT NULL,
    visibility VARCHAR(32) NOT NULL,
    lead_user_id BIGINT,
    start_date CHAR(10),
    end_date CHAR(10),
    budget_eur BIGINT NOT NULL,
    declared_health VARCHAR(32),
    declared_reason TEXT,
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL,
    FOREIGN KEY (capability_area) REFERENCES capability_areas(code),
    FOREIGN KEY (lead_user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX projects_status ON projects(status);
CREATE INDEX projects_updated ON projects(updated_at);

CREATE TABLE project_objectives (
    project_id BIGINT NOT NULL,
    objective_code VARCHAR(40) NOT NULL,
    PRIMARY KEY (project_id, objective_code),
    FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE,
    FOREIGN KEY (objective_code) REFERENCES objectives(code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX project_objectives_code ON project_objectives(objective_code);

CREATE TABLE milestones (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    title VARCHAR(400) NOT NULL,
    baseline_date CHAR(10) NOT NULL,
    forecast_date CHAR(10),
    actual_date CHAR(10),
    status VARCHAR(32) NOT NULL,
    progress BIGINT NOT NULL,
    weight BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX milestones_project ON milestones(project_id);

CREATE TABLE milestone_dependencies (
    milestone_id BIGINT NOT NULL,
    depends_on_id BIGINT NOT NULL,
    PRIMARY KEY (milestone_id, depends_on_id),
    FOREIGN KEY (milestone_id) REFERENCES milestones(id) ON DELETE CASCADE,
    FOREIGN KEY (depends_on_id) REFERENCES milestones(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX milestone_dependencies_on ON milestone_dependencies(depends_on_id);

CREATE TABLE contributions (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    role VARCHAR(32) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    state VARCHAR(32) NOT NULL,
    amount_eur BIGINT NOT NULL,
    person_months DOUBLE NOT NULL,
    description TEXT,
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects(id),
    FOREIGN KEY (partner_id) REFERENCES partners(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX contributions_project ON contributions(project_id);
CREATE INDEX contributions_partner ON contributions(partner_id);

CREATE TABLE mission_links (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    mission_id BIGINT NOT NULL,
    relation VARCHAR(32) NOT NULL,
    note TEXT,
    version BIGINT NOT NULL,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL,
    UNIQUE (project_id, mission_id),
    FOREIGN KEY (project_id) REFERENCES projects(id),
    FOREIGN KEY (mission_id) REFERENCES missions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX mission_links_mission ON mission_links(mission_id);

CREATE TABLE baselines (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    name VARCHAR(400) NOT NULL,
    reason TEXT NOT NULL,
    created_by BIGINT,
    created_at CHAR(20) NOT NULL,
    UNIQUE (project_id, name),
    FOREIGN KEY (project_id) REFERENCES projects(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE baseline_items (
    baseline_id BIGINT NOT NULL,
    milestone_id BIGINT NOT NULL,
    title VARCHAR(400) NOT NULL,
    baseline_date CHAR(10) NOT NULL,
    previous_baseline_date CHAR(10) NOT NULL,
    forecast_date CHAR(10),
    actual_date CHAR(10),
    status VARCHAR(32) NOT NULL,
    PRIMARY KEY (baseline_id, milestone_id),
    FOREIGN KEY (baseline_id) REFERENCES baselines(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only: a row per change of a milestone's dates, status or progress (a full snapshot of
-- those fields after the change). No foreign key, so the history outlives a deleted milestone.
CREATE TABLE milestone_history (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    milestone_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    at CHAR(20) NOT NULL,
    user_id BIGINT,
    action VARCHAR(32) NOT NULL,
    baseline_date CHAR(10),
    forecast_date CHAR(10),
    actual_date CHAR(10),
    status VARCHAR(32),
    progress BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX milestone_history_milestone ON milestone_history(milestone_id, id);
CREATE INDEX milestone_history_project ON milestone_history(project_id);

-- Append-only: each declaration (or withdrawal) of a project's health.
CREATE TABLE health_history (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    at CHAR(20) NOT NULL,
    user_id BIGINT,
    declared_health VARCHAR(32),
    declared_reason TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX health_history_project ON health_history(project_id, id);

CREATE TABLE audit_events (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    at CHAR(20) NOT NULL,
    user_id BIGINT,
    action VARCHAR(32) NOT NULL,
    entity VARCHAR(32) NOT NULL,
    entity_id BIGINT NOT NULL,
    project_id BIGINT,
    changes TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX audit_events_at ON audit_events(at);
CREATE INDEX audit_events_entity ON audit_events(entity, entity_id);
CREATE INDEX audit_events_project ON audit_events(project_id);

-- The frameworks are fixed by DESIGN.md; partners name them.
INSERT INTO frameworks (code, name) VALUES ('NATO', 'NATO Allies');
INSERT INTO frameworks (code, name) VALUES ('EAPC', 'Partnership for Peace / EAPC');
INSERT INTO frameworks (code, name) VALUES ('MD', 'Mediterranean Dialogue');
INSERT INTO frameworks (code, name) VALUES ('ICI', 'Istanbul Cooperation Initiative');
INSERT INTO frameworks (code, name) VALUES ('PATG', 'Partners across the Globe');
INSERT INTO frameworks (code, name) VALUES ('IO', 'International organisations');
