package app

import (
	"context"

	"github.com/federa/federa/internal/store/sqlstore"
)

// SnapshotDatabase copies a stopped (or running) server's embedded database
// file consistently, for federa backup.
func SnapshotDatabase(ctx context.Context, src, dst string) error {
	return sqlstore.SnapshotSQLite(ctx, src, dst)
}

// CheckDatabase runs the embedded database's integrity check, for federa
// restore.
func CheckDatabase(ctx context.Context, path string) error {
	return sqlstore.CheckSQLite(ctx, path)
}

// CompactDatabase rewrites the embedded database file so overwritten values
// leave it, after federa rotate-master-key.
func CompactDatabase(ctx context.Context, path string) error {
	return sqlstore.CompactSQLite(ctx, path)
}
