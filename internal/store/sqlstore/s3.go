package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/federa/federa/internal/store"
)

// CreateBucket implements store.Buckets.
func (s *Store) CreateBucket(ctx context.Context, b store.Bucket) error {
	b.CreatedAt = utc(b.CreatedAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO buckets (name, doc) VALUES (?, ?)`, b.Name, encode(b))
	return err
}

// GetBucket implements store.Buckets.
func (s *Store) GetBucket(ctx context.Context, name string) (store.Bucket, error) {
	var b store.Bucket
	return b, s.getDoc(ctx, s.db, &b, `SELECT doc FROM buckets WHERE name = ?`, name)
}

// ListBuckets implements store.Buckets.
func (s *Store) ListBuckets(ctx context.Context) ([]store.Bucket, error) {
	return listDocs[store.Bucket](ctx, s, `SELECT doc FROM buckets ORDER BY name`)
}

// UpdateBucket implements store.Buckets.
func (s *Store) UpdateBucket(ctx context.Context, name string, fn func(*store.Bucket) error) (store.Bucket, error) {
	return update(ctx, s, `SELECT doc FROM buckets WHERE name = ?`, `UPDATE buckets SET doc = ? WHERE name = ?`, []any{name},
		func(b *store.Bucket) { b.Name = name; b.CreatedAt = utc(b.CreatedAt) }, fn)
}

// DeleteBucket implements store.Buckets: refused while objects or uploads
// remain.
func (s *Store) DeleteBucket(ctx context.Context, name string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		// The bucket's lock waits for the writes that hold it shared
		// (PutObject, CreateUpload, CompleteUpload) to commit, so the counts
		// below see them, and makes later ones find no bucket.
		if err := s.lockRows(ctx, tx, s.d.forUpdate, `SELECT name FROM buckets WHERE name = ?`, name); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM objects WHERE bucket = ?`), name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: bucket %s holds %d objects", store.ErrConflict, name, n)
		}
		if err := noUploads(ctx, s, tx, name); err != nil {
			return err
		}
		return mustAffect(s.exec(ctx, tx, `DELETE FROM buckets WHERE name = ?`, name))
	})
}

func normObject(o *store.Object) { o.LastModified = utc(o.LastModified) }

// PutObject implements store.Objects.
func (s *Store) PutObject(ctx context.Context, o store.Object, check func(cur *store.Object) error) (*store.Object, error) {
	normObject(&o)
	var prev *store.Object
	err := s.tx(ctx, func(tx *sql.Tx) error {
		prev = nil // a retried fn starts afresh
		var b store.Bucket
		if err := s.getDoc(ctx, tx, &b, `SELECT doc FROM buckets WHERE name = ?`+s.d.forShare, o.Bucket); err != nil {
			return err
		}
		var old store.Object
		err := s.getDoc(ctx, tx, &old, `SELECT doc FROM objects WHERE bucket = ? AND object_key = ?`+s.d.forUpdate, o.Bucket, o.Key)
		if check != nil {
			cur := &old
			if errors.Is(err, store.ErrNotFound) {
				cur = nil
			} else if err != nil {
				return err
			}
			if err := check(cur); err != nil {
				return err
			}
		}
		switch {
		case err == nil:
			prev = &old
			_, err = s.exec(ctx, tx, `UPDATE objects SET doc = ? WHERE bucket = ? AND object_key = ?`, encode(o), o.Bucket, o.Key)
		case errors.Is(err, store.ErrNotFound):
			err = s.insertNew(ctx, tx, `INSERT INTO objects (bucket, object_key, doc) VALUES (?, ?, ?)`, o.Bucket, o.Key, encode(o))
		}
		return err
	})
	return prev, err
}

// GetObject implements store.Objects.
func (s *Store) GetObject(ctx context.Context, bucket, key string) (store.Object, error) {
	var o store.Object
	return o, s.getDoc(ctx, s.db, &o, `SELECT doc FROM objects WHERE bucket = ? AND object_key = ?`, bucket, key)
}

// DeleteObject implements store.Objects.
func (s *Store) DeleteObject(ctx context.Context, bucket, key string) (*store.Object, error) {
	var prev *store.Object
	err := s.tx(ctx, func(tx *sql.Tx) error {
		prev = nil // a retried fn starts afresh
		var old store.Object
		err := s.getDoc(ctx, tx, &old, `SELECT doc FROM objects WHERE bucket = ? AND object_key = ?`+s.d.forUpdate, bucket, key)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		prev = &old
		_, err = s.exec(ctx, tx, `DELETE FROM objects WHERE bucket = ? AND object_key = ?`, bucket, key)
		return err
	})
	return prev, err
}

// ListObjects implements store.Objects. The prefix is matched with a range,
// prefix <= key < prefix+"\xff", rather than LIKE, whose wildcards and case
// folding would be wrong for S3 keys. The range is exact because keys are
// UTF-8, where the byte 0xff never occurs, and SQLite compares TEXT
// byte-wise; with both bounds on the primary key's index, a small folder is
// found without reading the keys that sort after it. PostgreSQL takes only
// UTF-8 as text, so there the bound is the next prefix instead
// (dialect.prefixEnd), and its database must compare text by bytes
// (checkServer).
func (s *Store) ListObjects(ctx context.Context, bucket, prefix, after string, limit int) ([]store.Object, error) {
	query, args := listObjectsQuery(s.d, bucket, prefix, after, limit)
	return listDocs[store.Object](ctx, s, query, args...)
}

// listObjectsQuery is ListObjects' query: the keys above after, or from the
// prefix on when it sorts later, and below prefix+0xff (d.prefixEnd).
func listObjectsQuery(d dialect, bucket, prefix, after string, limit int) (string, []any) {
	query := `SELECT doc FROM objects WHERE bucket = ? AND object_key > ?`
	lower := after
	if prefix > after {
		// Keys equal to the prefix itself must be included.
		query = `SELECT doc FROM objects WHERE bucket = ? AND object_key >= ?`
		lower = prefix
	}
	args := []any{bucket, lower}
	if end := d.prefixEnd(prefix); prefix != "" && end != "" {
		query += ` AND object_key < ?`
		args = append(args, end)
	}
	return query + ` ORDER BY object_key` + limitClause(limit), args
}
