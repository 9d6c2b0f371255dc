-- Webhooks (issue 14, item 5). An admin registers an endpoint (its URL, the secret that signs each
-- delivery, the events it wants and optionally one project); every write that makes one of those events
-- adds a row per matching endpoint to webhook_outbox in the write's own transaction, so a crash loses
-- none. The server's worker delivers each endpoint's rows in id order (docs/HTTP.md "Webhooks").
CREATE TABLE webhook_events (
    code TEXT PRIMARY KEY
);
INSERT INTO webhook_events (code) VALUES ('contribution.changed'), ('milestone.changed'),
    ('project.health_changed'), ('snapshot.published');

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    project_id INTEGER REFERENCES projects(id),
    active INTEGER NOT NULL DEFAULT 1,
    description TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE webhook_subscriptions (
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event TEXT NOT NULL REFERENCES webhook_events(code),
    PRIMARY KEY (webhook_id, event)
);

-- One row per event and endpoint. pending: 1 until delivered or given up. next_attempt_at and
-- claimed_until are Unix seconds; a server delivering a row holds it (claimed_by, claimed_until) so that
-- no other server sends it at the same time.
CREATE TABLE webhook_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    action TEXT NOT NULL,
    project_id INTEGER,
    data TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    pending INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by TEXT,
    claimed_until INTEGER,
    last_attempt_at TEXT,
    last_status INTEGER,
    last_response TEXT,
    delivered_at TEXT
);
CREATE INDEX webhook_outbox_queue ON webhook_outbox(pending, webhook_id, id);
CREATE INDEX webhook_outbox_log ON webhook_outbox(webhook_id, id);
