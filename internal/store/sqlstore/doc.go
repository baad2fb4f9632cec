// Package sqlstore implements store.Store over database/sql, once for two
// databases: SQLite (modernc.org/sqlite, pure Go, so CGO_ENABLED=0 still
// yields one binary) and PostgreSQL (pgx through its database/sql adapter).
// Open picks one by the DSN: a postgres:// or postgresql:// URL, or a file
// path. Each record is a row with its key columns for lookups and
// uniqueness, plus a JSON document holding the whole record, so record
// types can grow without a migration. Every dialect difference lives in
// dialect.go; the migrations, numbered alike, in migrations/{sqlite,postgres}.
//
// The two differ in how writers are kept apart. SQLite has one writer: its
// transactions queue on a channel and commit in groups (groupcommit.go).
// PostgreSQL runs transactions concurrently (postgres.go): a read that a
// write depends on takes a row lock (SELECT … FOR UPDATE / FOR SHARE), and
// a transaction that fails on a serialization failure, a deadlock or a
// concurrent insert of the same key is run again. Every transaction
// function may therefore run more than once and sets its results afresh.
//
// The PostgreSQL SQL keeps to what CockroachDB and YugabyteDB also run: no
// LISTEN/NOTIFY, advisory locks, SERIAL or PL/pgSQL, ON CONFLICT only with
// a column list, no column collations.
//
// sqlstore imports only the store package and its drivers.
package sqlstore
