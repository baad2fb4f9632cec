// Package sqlstore implements store.Store over database/sql: SQLite today
// (modernc.org/sqlite, pure Go, so CGO_ENABLED=0 still yields one binary),
// PostgreSQL through the same code later. Each record is a row with its key
// columns for lookups and uniqueness, plus a JSON document holding the whole
// record, so record types can grow without a migration. Every dialect
// difference lives in dialect.go.
//
// sqlstore imports only the store package and its drivers.
package sqlstore
