-- Authorization codes of the hosted UI, kept by the hash of the code until
-- they are redeemed once or expire. expires_at is Unix nanoseconds. The
-- indexes serve DeleteExpiredAuthCodes and DeleteUserPool.
CREATE TABLE auth_codes (hash TEXT PRIMARY KEY, pool_id TEXT NOT NULL, expires_at BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX auth_codes_expiry ON auth_codes (expires_at);
CREATE INDEX auth_codes_pool ON auth_codes (pool_id);
-- A pool's OAuth resource servers, listed by identifier.
CREATE TABLE resource_servers (pool_id TEXT NOT NULL, identifier TEXT NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (pool_id, identifier));
-- The scopes a refresh token was granted with, space-separated (empty for
-- tokens issued before this migration and by InitiateAuth).
ALTER TABLE refresh_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
