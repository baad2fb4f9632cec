-- The audit log: administrative changes and denied requests, appended in
-- batches and pruned by age, never updated. AUTOINCREMENT keeps ids from
-- being reused once the newest rows are pruned, so a reader's page token
-- (the last id it saw) stays valid. at is Unix nanoseconds. The indexes
-- serve pruning and --since (at) and --principal.
CREATE TABLE audit_events (id INTEGER PRIMARY KEY AUTOINCREMENT, at BIGINT NOT NULL, kind TEXT NOT NULL,
  principal TEXT NOT NULL, service TEXT NOT NULL, action TEXT NOT NULL, resource TEXT NOT NULL,
  status INTEGER NOT NULL, code TEXT NOT NULL, detail TEXT NOT NULL, request_id TEXT NOT NULL, source_ip TEXT NOT NULL);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_principal ON audit_events (principal, id);
