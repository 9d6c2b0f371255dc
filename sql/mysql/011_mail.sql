-- Reminders by e-mail (issue 14, item 4). A user may give an address and opt out of reminders.
-- Mail goes through an outbox: a row per message, queued once per (kind, period, user) whatever the
-- number of servers or restarts (the UNIQUE key), sent by a background worker that claims a row with a
-- lease (claimed_by, claimed_until: epoch seconds) so that two servers never send it together, retried
-- with backoff (next_attempt_at, epoch seconds) and marked sent only after the relay accepted it.
ALTER TABLE users ADD COLUMN email VARCHAR(254);
ALTER TABLE users ADD COLUMN email_reminders TINYINT NOT NULL DEFAULT 1;

CREATE TABLE mail_outbox (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    recipient VARCHAR(254) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    period_key VARCHAR(64) NOT NULL,
    subject VARCHAR(1000) NOT NULL,
    body MEDIUMTEXT NOT NULL,
    created_at CHAR(20) NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by VARCHAR(200),
    claimed_until BIGINT,
    sent_at CHAR(20),
    last_error VARCHAR(1000),
    UNIQUE KEY mail_outbox_once (kind, period_key, user_id),
    FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, next_attempt_at);
