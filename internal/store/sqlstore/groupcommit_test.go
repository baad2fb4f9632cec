package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestGroupCommitIsolatesFailures: many transactions at once, so they are
// committed in batches; each that fails after writing leaves nothing, each
// that succeeds stays, and each caller gets its own outcome.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "federa.db"))
	defer s.Close()
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE t (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	errFail := errors.New("fails after writing")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	const n = 200
	got := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := ctx
			if i%10 == 9 {
				c = cancelled // gave up before its turn: nothing written
			}
			got[i] = s.tx(c, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, fmt.Sprint(i)); err != nil {
					return err
				}
				if i%3 == 0 {
					return errFail
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i := range n {
		var count int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE k = ?`, fmt.Sprint(i)).Scan(&count); err != nil {
			t.Fatal(err)
		}
		switch {
		case i%10 == 9:
			if !errors.Is(got[i], context.Canceled) || count != 0 {
				t.Errorf("cancelled #%d: err %v, %d rows", i, got[i], count)
			}
		case i%3 == 0:
			if !errors.Is(got[i], errFail) || count != 0 {
				t.Errorf("failing #%d: err %v, %d rows", i, got[i], count)
			}
		default:
			if got[i] != nil || count != 1 {
				t.Errorf("#%d: err %v, %d rows", i, got[i], count)
			}
		}
	}
}
