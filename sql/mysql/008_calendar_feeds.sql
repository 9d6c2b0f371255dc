-- Calendar feeds (issue 13): a user's secret iCalendar feed URL. Only the SHA-256 of the secret is
-- stored. A feed keeps the user's token version it was made under, so a password change or reset, a
-- disable or "sign out everywhere" ends it like an API token; making a new feed or revoking one sets
-- revoked_at. At most one live feed per user (kept by service::CalendarFeeds).
CREATE TABLE calendar_feeds (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    secret_hash CHAR(64) NOT NULL UNIQUE,
    created_at CHAR(20) NOT NULL,
    revoked_at CHAR(20),
    token_version BIGINT NOT NULL DEFAULT 0,
    FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id);
