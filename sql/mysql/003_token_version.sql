-- Sessions end when they should (issue 8). Every session token carries its user's token_version and
-- every API token keeps the version it was created under; a password change or reset, a disable and
-- "sign out everywhere" raise the user's version, which ends everything issued before. Re-enabling a
-- user never lowers it, so it revives nothing.
ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;
