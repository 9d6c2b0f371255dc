-- Long-lived API tokens for scripts: only a SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    name VARCHAR(400) NOT NULL,
    token_hash CHAR(64) NOT NULL UNIQUE,
    created_at CHAR(20) NOT NULL,
    expires_at CHAR(20),
    revoked_at CHAR(20),
    FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX audit_events_user ON audit_events(user_id);
