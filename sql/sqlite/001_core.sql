-- captrack core schema (SQLite). Dates are 'YYYY-MM-DD' text and times RFC 3339 UTC text in both
-- dialects, so one SQL code path compares and sorts them the same way.

CREATE TABLE frameworks (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE partners (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    framework TEXT NOT NULL REFERENCES frameworks(code),
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE missions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    region TEXT,
    start_date TEXT,
    end_date TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE capability_areas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE objectives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    partner_id INTEGER REFERENCES partners(id),
    password_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT,
    capability_area TEXT REFERENCES capability_areas(code),
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    lead_user_id INTEGER REFERENCES users(id),
    start_date TEXT,
    end_date TEXT,
    budget_eur INTEGER NOT NULL,
    declared_health TEXT,
    declared_reason TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_status ON projects(status);
CREATE INDEX projects_updated ON projects(updated_at);

CREATE TABLE project_objectives (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    objective_code TEXT NOT NULL REFERENCES objectives(code),
    PRIMARY KEY (project_id, objective_code)
);
CREATE INDEX project_objectives_code ON project_objectives(objective_code);

CREATE TABLE milestones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    title TEXT NOT NULL,
    baseline_date TEXT NOT NULL,
    forecast_date TEXT,
    actual_date TEXT,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX milestones_project ON milestones(project_id);

CREATE TABLE milestone_dependencies (
    milestone_id INTEGER NOT NULL REFERENCES milestones(id) ON DELETE CASCADE,
    depends_on_id INTEGER NOT NULL REFERENCES milestones(id),
    PRIMARY KEY (milestone_id, depends_on_id)
);
CREATE INDEX milestone_dependencies_on ON milestone_dependencies(depends_on_id);

CREATE TABLE contributions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    amount_eur INTEGER NOT NULL,
    person_months REAL NOT NULL,
    description TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX contributions_project ON contributions(project_id);
CREATE INDEX contributions_partner ON contributions(partner_id);

CREATE TABLE mission_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    mission_id INTEGER NOT NULL REFERENCES missions(id),
    relation TEXT NOT NULL,
    note TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, mission_id)
);
CREATE INDEX mission_links_mission ON mission_links(mission_id);

CREATE TABLE baselines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE baseline_items (
    baseline_id INTEGER NOT NULL REFERENCES baselines(id),
    milestone_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    baseline_date TEXT NOT NULL,
    previous_baseline_date TEXT NOT NULL,
    forecast_date TEXT,
    actual_date TEXT,
    status TEXT NOT NULL,
    PRIMARY KEY (baseline_id, milestone_id)
);

-- Append-only: a row per change of a milestone's dates, status or progress (a full snapshot of
-- those fields after the change). No foreign key, so the history outlives a deleted milestone.
CREATE TABLE milestone_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    milestone_id INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    user_id INTEGER,
    action TEXT NOT NULL,
    baseline_date TEXT,
    forecast_date TEXT,
    actual_date TEXT,
    status TEXT,
    progress INTEGER
);
CREATE INDEX milestone_history_milestone ON milestone_history(milestone_id, id);
CREATE INDEX milestone_history_project ON milestone_history(project_id);

-- Append-only: each declaration (or withdrawal) of a project's health.
CREATE TABLE health_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    user_id INTEGER,
    declared_health TEXT,
    declared_reason TEXT
);
CREATE INDEX health_history_project ON health_history(project_id, id);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    project_id INTEGER,
    changes TEXT NOT NULL
);
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
