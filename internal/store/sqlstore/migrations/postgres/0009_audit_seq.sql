-- Audit ids in commit order. An identity or AUTOINCREMENT id is taken at
-- insert, so on a database with concurrent writers (PostgreSQL, several
-- nodes) two batches could commit out of id order and a reader paging by
-- the last id it saw could skip the later-committed, lower ids. Appenders
-- now take their ids from this one row, which they update in the same
-- transaction: its row lock orders them, so ids become visible in order.
CREATE TABLE audit_seq (one INTEGER PRIMARY KEY, last BIGINT NOT NULL);
INSERT INTO audit_seq (one, last) SELECT 1, COALESCE(MAX(id), 0) FROM audit_events;
