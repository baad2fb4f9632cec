package app

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/blob/s3blob"
	"github.com/federa/federa/internal/store/sqlstore"
)

// blobStore is an object backend the app can close.
type blobStore interface {
	blob.Store
	io.Closer
}

// openBlob opens the object backend: the data directory, or the
// S3-compatible bucket Options.Blob names.
func (o Options) openBlob(ctx context.Context) (blobStore, error) {
	if o.Blob == "" || o.Blob == "fs" {
		bl, err := fsblob.New(filepath.Join(o.DataDir, "objects"))
		if err != nil {
			return nil, fmt.Errorf("open object store: %w", err)
		}
		return bl, nil
	}
	if !strings.HasPrefix(o.Blob, "s3://") {
		return nil, fmt.Errorf("--blob %q: use s3://bucket/prefix?endpoint=… for an S3-compatible store, or leave it empty for the data directory", o.Blob)
	}
	bl, err := s3blob.Open(ctx, o.Blob)
	if err != nil {
		return nil, fmt.Errorf("open object store: %w", err)
	}
	return bl, nil
}

// openStore opens the record store: SQLite in the data directory, or the
// PostgreSQL database Options.Store names.
func (o Options) openStore(ctx context.Context) (*sqlstore.Store, error) {
	dsn := filepath.Join(o.DataDir, "federa.db")
	switch {
	case o.Store == "" || o.Store == "sqlite":
	case strings.HasPrefix(o.Store, "postgres://") || strings.HasPrefix(o.Store, "postgresql://"):
		dsn = o.Store
	default:
		return nil, fmt.Errorf("--store %q: use sqlite (the data directory) or a postgres:// URL", redactDSN(o.Store))
	}
	sq, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", redactDSN(dsn), err)
	}
	return sq, nil
}

// redactDSN hides a password in a database URL written into an error.
func redactDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return dsn
	}
	cred := dsn[scheme+3 : at]
	if user, _, ok := strings.Cut(cred, ":"); ok {
		return dsn[:scheme+3] + user + ":***" + dsn[at:]
	}
	return dsn
}

// sweepUploads aborts the multipart uploads a killed process left in an
// S3 backend (fsblob sweeps its own temporary files).
func sweepUploads(ctx context.Context, bl blobStore, now time.Time) (int, error) {
	if s, ok := bl.(*s3blob.Store); ok {
		return s.AbortUploadsBefore(ctx, now.Add(-24*time.Hour))
	}
	return 0, nil
}
