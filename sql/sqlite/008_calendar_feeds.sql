-- Calendar feeds (issue 13): a user's secret iCalendar feed URL. Only the SHA-256 of the secret is
-- stored. A feed keeps the user's token version it was made under, so a password change or reset, a
-- disable or "sign out everywhere" ends it like an API token; making a new feed or revoking one sets
-- revoked_at. At most one live feed per user (kept by service::CalendarFeeds).
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    token_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id);
