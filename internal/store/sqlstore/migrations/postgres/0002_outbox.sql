CREATE TABLE outbox (id TEXT PRIMARY KEY, pool_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX outbox_pool ON outbox (pool_id, id);
