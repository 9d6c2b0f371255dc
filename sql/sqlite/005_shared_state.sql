-- State that changes an answer is kept in the database, not in one server's memory (issue 9), so that
-- several servers behind a load balancer give the same answers: failed sign-ins, report build permits
-- and the leases of scheduled jobs. Every row expires; the housekeeping job deletes what has.

-- Failed sign-ins per username ('user') and per client address ('address') within a window that
-- starts at the first failure (microseconds since the epoch).
CREATE TABLE sign_in_failures (
    scope VARCHAR(8) NOT NULL,
    throttle_key VARCHAR(200) NOT NULL,
    window_start BIGINT NOT NULL,
    failures INTEGER NOT NULL,
    PRIMARY KEY (scope, throttle_key)
);

-- One row per report build running anywhere; slot numbers run from 1 to reports.max_concurrent.
CREATE TABLE report_permits (
    slot INTEGER NOT NULL PRIMARY KEY,
    holder VARCHAR(200) NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The last period each scheduled job was claimed for, and by which server.
CREATE TABLE job_leases (
    job VARCHAR(100) NOT NULL PRIMARY KEY,
    holder VARCHAR(200) NOT NULL,
    period_start BIGINT NOT NULL
);

-- One row per project whose milestone dependencies were changed: a transaction that adds a dependency
-- writes this row first, so two that could close a cycle between them never both commit (a row lock on
-- one database, a certification conflict across a Galera cluster) and the later one sees the other's edge.
CREATE TABLE dependency_graph_versions (
    project_id BIGINT NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);
