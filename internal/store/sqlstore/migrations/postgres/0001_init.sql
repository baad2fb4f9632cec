-- The PostgreSQL twin of migrations/sqlite/0001_init.sql: each record is a
-- row of key columns plus a JSON document (doc). Times that are compared are
-- Unix nanoseconds, so BIGINT. Text columns take the database's collation,
-- which sqlstore checks compares by bytes (checkServer), since CockroachDB
-- refuses COLLATE "C" on a column. Only SQL that CockroachDB and YugabyteDB
-- also run: no SERIAL, no PL/pgSQL, no extensions
CREATE TABLE user_pools (id TEXT PRIMARY KEY, name TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE app_clients (client_id TEXT PRIMARY KEY, pool_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX app_clients_pool ON app_clients (pool_id, client_id);
CREATE TABLE domains (domain TEXT PRIMARY KEY, pool_id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
CREATE TABLE users (pool_id TEXT NOT NULL, user_key TEXT NOT NULL, sub TEXT NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (pool_id, user_key), UNIQUE (pool_id, sub));
CREATE TABLE refresh_tokens (hash TEXT PRIMARY KEY, pool_id TEXT NOT NULL, user_key TEXT NOT NULL,
  expires_at BIGINT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, user_key);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);
CREATE TABLE server_keys (purpose TEXT NOT NULL, id TEXT NOT NULL, created_at BIGINT NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (purpose, id));
CREATE TABLE identity_pools (id TEXT PRIMARY KEY, name TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE identities (id TEXT PRIMARY KEY, pool_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX identities_pool ON identities (pool_id, id);
CREATE TABLE identity_logins (pool_id TEXT NOT NULL, provider TEXT NOT NULL, subject TEXT NOT NULL,
  identity_id TEXT NOT NULL, PRIMARY KEY (pool_id, provider, subject));
CREATE INDEX identity_logins_identity ON identity_logins (identity_id);
CREATE TABLE roles (name_key TEXT PRIMARY KEY, name TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE policies (arn TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE buckets (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE objects (bucket TEXT NOT NULL, object_key TEXT NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (bucket, object_key));
