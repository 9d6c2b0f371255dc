-- Report roll-ups (issue 12): what a portfolio report needs of each project's milestones and
-- contributions, kept current by every write that changes them, in the write's own transaction
-- (storage::RollupStore), so that a report reads a row per project instead of every milestone. Derived
-- from the other tables alone: a backup leaves them out and a restore computes them again. The
-- statements that fill them here are RollupStore's (tests/service/ReportRollupsTest checks that they agree).

-- One row per project: its milestones that are not cancelled, folded by the parts of the status rules
-- that do not depend on the day (docs/DOMAIN.md). Slips are in days; the due date of a milestone is its
-- forecast, else its baseline.
CREATE TABLE project_rollups (
    project_id INTEGER PRIMARY KEY,
    milestones_total INTEGER NOT NULL DEFAULT 0,
    milestones_done INTEGER NOT NULL DEFAULT 0,
    weight_sum INTEGER NOT NULL DEFAULT 0,
    weighted_progress INTEGER NOT NULL DEFAULT 0, -- the sum of weight x (100 when done, else progress)
    earliest_open_due TEXT,                       -- of the open milestones (neither done nor cancelled)
    largest_open_slip INTEGER,                    -- of the open milestones
    largest_slip INTEGER                          -- of every milestone not cancelled
);

-- One row per open milestone with its due date: the overdue milestones of a day, and those due soon
-- after it, are one range of the index.
CREATE TABLE open_milestones (
    milestone_id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL,
    due_date TEXT NOT NULL
);
CREATE INDEX open_milestones_due ON open_milestones(due_date, project_id);
CREATE INDEX open_milestones_project ON open_milestones(project_id);

-- What a portfolio report reads of every project, in an index it can read without the table (whose
-- titles and descriptions are most of its bytes), in id order, the order of the roll-up rows it joins.
CREATE INDEX projects_report ON projects(id, status, kind, visibility, capability_area, budget_eur, declared_health);

-- One row per project and partner that contributes to it: its contributions' sums by state, stored in
-- key order (a report reads them a project at a time).
CREATE TABLE contribution_rollups (
    project_id INTEGER NOT NULL,
    partner_id INTEGER NOT NULL,
    contributions INTEGER NOT NULL,
    pledged_eur INTEGER NOT NULL,
    committed_eur INTEGER NOT NULL,
    delivered_eur INTEGER NOT NULL,
    person_months REAL NOT NULL,
    PRIMARY KEY (project_id, partner_id)
) WITHOUT ROWID;

INSERT INTO project_rollups (project_id, milestones_total, milestones_done, weight_sum, weighted_progress, earliest_open_due, largest_open_slip, largest_slip) SELECT p.id, COUNT(m.id), COALESCE(SUM(m.status = 'done'), 0), COALESCE(SUM(m.weight), 0), COALESCE(SUM(m.weight * CASE WHEN m.status = 'done' THEN 100 ELSE m.progress END), 0), MIN(CASE WHEN m.status <> 'done' THEN COALESCE(m.forecast_date, m.baseline_date) END), MAX(CASE WHEN m.status <> 'done' THEN CAST(julianday(COALESCE(m.forecast_date, m.baseline_date)) - julianday(m.baseline_date) AS INTEGER) END), MAX(CAST(julianday(CASE WHEN m.status = 'done' AND m.actual_date IS NOT NULL THEN m.actual_date ELSE COALESCE(m.forecast_date, m.baseline_date) END) - julianday(m.baseline_date) AS INTEGER)) FROM projects p LEFT JOIN milestones m ON m.project_id = p.id AND m.status <> 'cancelled' GROUP BY p.id;
INSERT INTO open_milestones (milestone_id, project_id, due_date) SELECT m.id, m.project_id, COALESCE(m.forecast_date, m.baseline_date) FROM milestones m WHERE m.status NOT IN ('done', 'cancelled');
INSERT INTO contribution_rollups (project_id, partner_id, contributions, pledged_eur, committed_eur, delivered_eur, person_months) SELECT c.project_id, c.partner_id, COUNT(*), SUM(CASE WHEN c.state = 'pledged' THEN c.amount_eur ELSE 0 END), SUM(CASE WHEN c.state = 'committed' THEN c.amount_eur ELSE 0 END), SUM(CASE WHEN c.state = 'delivered' THEN c.amount_eur ELSE 0 END), SUM(c.person_months) FROM contributions c GROUP BY c.project_id, c.partner_id;
