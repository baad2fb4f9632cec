package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/federa/federa/internal/store"
)

// uploadWhere selects one upload by its id, bucket and key: an id used under
// another bucket or key must not be found.
const uploadWhere = ` WHERE upload_id = ? AND bucket = ? AND object_key = ?`

// CreateUpload implements store.Uploads.
func (s *Store) CreateUpload(ctx context.Context, u store.Upload) error {
	u.Initiated = utc(u.Initiated)
	return s.tx(ctx, func(tx *sql.Tx) error {
		var b store.Bucket
		if err := s.getDoc(ctx, tx, &b, `SELECT doc FROM buckets WHERE name = ?`+s.d.forShare, u.Bucket); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO uploads (upload_id, bucket, object_key, doc) VALUES (?, ?, ?, ?)`, u.UploadID, u.Bucket, u.Key, encode(u))
		return err
	})
}

// GetUpload implements store.Uploads.
func (s *Store) GetUpload(ctx context.Context, bucket, key, uploadID string) (store.Upload, error) {
	var u store.Upload
	return u, s.getDoc(ctx, s.db, &u, `SELECT doc FROM uploads`+uploadWhere, uploadID, bucket, key)
}

// PutUploadPart implements store.Uploads.
func (s *Store) PutUploadPart(ctx context.Context, bucket, key, uploadID string, p store.UploadPart) (*store.UploadPart, error) {
	p.LastModified = utc(p.LastModified)
	var prev *store.UploadPart
	err := s.tx(ctx, func(tx *sql.Tx) error {
		prev = nil // a retried fn starts afresh
		// The upload is locked shared, so that a Complete or Abort either
		// waits for this part or has removed the upload before it is read.
		var u store.Upload
		if err := s.getDoc(ctx, tx, &u, `SELECT doc FROM uploads`+uploadWhere+s.d.forShare, uploadID, bucket, key); err != nil {
			return err
		}
		var old store.UploadPart
		err := s.getDoc(ctx, tx, &old, `SELECT doc FROM upload_parts WHERE upload_id = ? AND part_number = ?`+s.d.forUpdate, uploadID, p.PartNumber)
		switch {
		case err == nil:
			prev = &old
			_, err = s.exec(ctx, tx, `UPDATE upload_parts SET doc = ? WHERE upload_id = ? AND part_number = ?`, encode(p), uploadID, p.PartNumber)
		case errors.Is(err, store.ErrNotFound):
			err = s.insertNew(ctx, tx, `INSERT INTO upload_parts (upload_id, part_number, doc) VALUES (?, ?, ?)`, uploadID, p.PartNumber, encode(p))
		}
		return err
	})
	return prev, err
}

// ListUploadParts implements store.Uploads. The upload's bucket and key are
// checked by joining its row, so another bucket's id lists nothing.
func (s *Store) ListUploadParts(ctx context.Context, bucket, key, uploadID string, after, limit int) ([]store.UploadPart, error) {
	return queryDocs[store.UploadPart](ctx, s, s.db, `SELECT p.doc FROM upload_parts p JOIN uploads u ON u.upload_id = p.upload_id
		WHERE p.upload_id = ? AND u.bucket = ? AND u.object_key = ? AND p.part_number > ? ORDER BY p.part_number`+limitClause(limit),
		uploadID, bucket, key, after)
}

// ListUploads implements store.Uploads. As in ListObjects the prefix is a
// byte comparison, not LIKE.
func (s *Store) ListUploads(ctx context.Context, bucket, prefix, afterKey, afterID string, limit int) ([]store.Upload, error) {
	pos := `(object_key > ? OR (object_key = ? AND upload_id > ?))`
	args := []any{bucket, afterKey, afterKey, afterID}
	if afterID == "" {
		pos, args = `object_key > ?`, []any{bucket, afterKey}
	}
	bounds := ""
	if prefix != "" {
		// [prefix, prefixEnd) is exactly the keys with the prefix, and an
		// index range (see ListObjects).
		bounds = ` AND object_key >= ?`
		args = append(args, prefix)
		if end := s.d.prefixEnd(prefix); end != "" {
			bounds += ` AND object_key < ?`
			args = append(args, end)
		}
	}
	return queryDocs[store.Upload](ctx, s, s.db, `SELECT doc FROM uploads WHERE bucket = ? AND `+pos+bounds+
		` ORDER BY object_key, upload_id`+limitClause(limit), args...)
}

// CompleteUpload implements store.Uploads: build, the object write and the
// removal of the upload happen in one transaction, so a concurrent
// UploadPart, Abort or second Complete either happens before (and build sees
// it) or finds the upload gone.
func (s *Store) CompleteUpload(ctx context.Context, bucket, key, uploadID string, build func(store.Upload, []store.UploadPart, *store.Object) (store.Object, error)) (store.Object, *store.Object, []store.UploadPart, error) {
	var (
		done  store.Object
		prev  *store.Object
		parts []store.UploadPart
	)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// The results are reset on each try: tx retries the whole function.
		prev, parts = nil, nil
		// The bucket is locked shared, as PutObject locks it, so that
		// DeleteBucket cannot miss the object; the upload exclusively, so
		// that parts being put wait or find it gone.
		if err := s.lockRows(ctx, tx, s.d.forShare, `SELECT name FROM buckets WHERE name = ?`, bucket); err != nil {
			return err
		}
		var u store.Upload
		if err := s.getDoc(ctx, tx, &u, `SELECT doc FROM uploads`+uploadWhere+s.d.forUpdate, uploadID, bucket, key); err != nil {
			return err
		}
		var err error
		parts, err = queryDocs[store.UploadPart](ctx, s, tx, `SELECT doc FROM upload_parts WHERE upload_id = ? ORDER BY part_number`, uploadID)
		if err != nil {
			return err
		}
		var cur store.Object
		err = s.getDoc(ctx, tx, &cur, `SELECT doc FROM objects WHERE bucket = ? AND object_key = ?`+s.d.forUpdate, bucket, key)
		switch {
		case err == nil:
			prev = &cur
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		o, err := build(u, parts, prev)
		if err != nil {
			return err
		}
		o.Bucket, o.Key = bucket, key
		normObject(&o)
		if prev != nil {
			_, err = s.exec(ctx, tx, `UPDATE objects SET doc = ? WHERE bucket = ? AND object_key = ?`, encode(o), bucket, key)
		} else {
			err = s.insertNew(ctx, tx, `INSERT INTO objects (bucket, object_key, doc) VALUES (?, ?, ?)`, bucket, key, encode(o))
		}
		if err != nil {
			return err
		}
		if err := s.dropUpload(ctx, tx, uploadID); err != nil {
			return err
		}
		done = o
		return nil
	})
	if err != nil {
		return store.Object{}, nil, nil, err
	}
	return done, prev, parts, nil
}

// AbortUpload implements store.Uploads.
func (s *Store) AbortUpload(ctx context.Context, bucket, key, uploadID string) ([]store.UploadPart, error) {
	var parts []store.UploadPart
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var u store.Upload
		if err := s.getDoc(ctx, tx, &u, `SELECT doc FROM uploads`+uploadWhere+s.d.forUpdate, uploadID, bucket, key); err != nil {
			return err
		}
		var err error
		parts, err = queryDocs[store.UploadPart](ctx, s, tx, `SELECT doc FROM upload_parts WHERE upload_id = ? ORDER BY part_number`, uploadID)
		if err != nil {
			return err
		}
		return s.dropUpload(ctx, tx, uploadID)
	})
	if err != nil {
		return nil, err
	}
	return parts, nil
}

// dropUpload deletes an upload's row and its parts' rows.
func (s *Store) dropUpload(ctx context.Context, tx *sql.Tx, uploadID string) error {
	if _, err := s.exec(ctx, tx, `DELETE FROM upload_parts WHERE upload_id = ?`, uploadID); err != nil {
		return err
	}
	_, err := s.exec(ctx, tx, `DELETE FROM uploads WHERE upload_id = ?`, uploadID)
	return err
}

// noUploads refuses, with ErrConflict, deleting a bucket that still has
// uploads: their parts' blobs would be lost track of.
func noUploads(ctx context.Context, s *Store, tx *sql.Tx, bucket string) error {
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM uploads WHERE bucket = ?`), bucket).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: bucket %s has %d multipart uploads", store.ErrConflict, bucket, n)
	}
	return nil
}
