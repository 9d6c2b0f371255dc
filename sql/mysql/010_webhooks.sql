-- Webhooks (issue 14, item 5). An admin registers an endpoint (its URL, the secret that signs each
-- delivery, the events it wants and optionally one project); every write that makes one of those events
-- adds a row per matching endpoint to webhook_outbox in the write's own transaction, so a crash loses
-- none. The server's worker delivers each endpoint's rows in id order (docs/HTTP.md "Webhooks").
CREATE TABLE webhook_events (
    code VARCHAR(40) PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO webhook_events (code) VALUES ('contribution.changed'), ('milestone.changed'),
    ('project.health_changed'), ('snapshot.published');

CREATE TABLE webhooks (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    url VARCHAR(2000) NOT NULL,
    secret VARCHAR(200) NOT NULL,
    project_id BIGINT,
    active TINYINT NOT NULL DEFAULT 1,
    description TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at CHAR(20) NOT NULL,
    updated_at CHAR(20) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE webhook_subscriptions (
    webhook_id BIGINT NOT NULL,
    event VARCHAR(40) NOT NULL,
    PRIMARY KEY (webhook_id, event),
    FOREIGN KEY (webhook_id) REFERENCES webhooks(id) ON DELETE CASCADE,
    FOREIGN KEY (event) REFERENCES webhook_events(code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per event and endpoint. pending: 1 until delivered or given up. next_attempt_at and
-- claimed_until are Unix seconds; a server delivering a row holds it (claimed_by, claimed_until) so that
-- no other server sends it at the same time.
CREATE TABLE webhook_outbox (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    webhook_id BIGINT NOT NULL,
    event VARCHAR(40) NOT NULL,
    action VARCHAR(10) NOT NULL,
    project_id BIGINT,
    data MEDIUMTEXT NOT NULL,
    occurred_at CHAR(20) NOT NULL,
    pending TINYINT NOT NULL DEFAULT 1,
    state VARCHAR(10) NOT NULL DEFAULT 'pending',
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by VARCHAR(200),
    claimed_until BIGINT,
    last_attempt_at CHAR(20),
    last_status INT,
    last_response TEXT,
    delivered_at CHAR(20),
    FOREIGN KEY (webhook_id) REFERENCES webhooks(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX webhook_outbox_queue ON webhook_outbox(pending, webhook_id, id);
CREATE INDEX webhook_outbox_log ON webhook_outbox(webhook_id, id);
