-- Reminders by e-mail (issue 14, item 4). A user may give an address and opt out of reminders.
-- Mail goes through an outbox: a row per message, queued once per (kind, period, user) whatever the
-- number of servers or restarts (the UNIQUE key), sent by a background worker that claims a row with a
-- lease (claimed_by, claimed_until: epoch seconds) so that two servers never send it together, retried
-- with backoff (next_attempt_at, epoch seconds) and marked sent only after the relay accepted it.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN email_reminders INTEGER NOT NULL DEFAULT 1;

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    period_key TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    sent_at TEXT,
    last_error TEXT,
    UNIQUE (kind, period_key, user_id)
);
CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, next_attempt_at);
