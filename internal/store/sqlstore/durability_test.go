package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestEveryConnectionIsDurable: a commit is durable only if every pooled
// connection runs in WAL mode with synchronous=FULL (fsync of the WAL at each
// commit); NORMAL would lose the last commits on power failure. The pragmas
// are per connection, so several connections held at once are checked.
func TestEveryConnectionIsDurable(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "federa.db"))
	defer s.Close()
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 4 {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var mode string
		var sync, busy int
		if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || sync != 2 || busy < 1000 {
			t.Errorf("connection %d: journal_mode=%s synchronous=%d busy_timeout=%d; want wal, 2 (FULL), >= 1000", len(conns), mode, sync, busy)
		}
	}
}
