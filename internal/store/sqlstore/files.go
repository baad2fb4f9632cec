package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// The embedded database as a file: what backup, restore and master-key
// rotation do to it while no server has it open.

// openFile opens the SQLite file at path on its own, outside a Store.
func openFile(path string) (*sql.DB, error) {
	return sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
}

// SnapshotSQLite copies the database at src to dst with VACUUM INTO: one
// read transaction, so the copy is consistent even with a write-ahead log,
// and compact.
func SnapshotSQLite(ctx context.Context, src, dst string) error {
	db, err := openFile(src)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", dst)
	return err
}

// CheckSQLite runs SQLite's integrity check on the database at path.
func CheckSQLite(ctx context.Context, path string) error {
	db, err := openFile(path)
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}

// CompactSQLite rewrites the database at path and empties its write-ahead
// log, so free pages and log frames holding values since overwritten (in
// clear, or under an old master key) are gone from the files.
func CompactSQLite(ctx context.Context, path string) error {
	db, err := openFile(path)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range []string{"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
