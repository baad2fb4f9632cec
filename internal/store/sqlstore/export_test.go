package sqlstore

import (
	"context"
	"database/sql"

	"github.com/federa/federa/internal/store"
)

// BulkPutObjects inserts objects in one transaction, for fixtures far larger
// than one commit (and fsync) per object allows: a million keys load in
// seconds. The bucket must exist and the keys must be new.
func BulkPutObjects(ctx context.Context, s *Store, objs func(yield func(store.Object) bool)) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO objects (bucket, object_key, doc) VALUES (?, ?, ?)`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for o := range objs {
			normObject(&o)
			if _, err = stmt.ExecContext(ctx, o.Bucket, o.Key, encode(o)); err != nil {
				return err
			}
		}
		return nil
	})
}
