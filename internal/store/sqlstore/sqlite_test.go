package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/storetest"
)

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSQLiteConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s := open(t, filepath.Join(t.TempDir(), "federa.db"))
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestReopenKeepsData checks migrations are idempotent and data durable.
func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "federa.db")
	s := open(t, path)
	if err := s.CreateBucket(context.Background(), store.Bucket{Name: "kept"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	if _, err := s.GetBucket(context.Background(), "kept"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
}
