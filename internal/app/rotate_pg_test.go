package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/federa/federa/internal/store/sqlstore/pgtest"
)

// TestRotateMasterKeyInPostgres: the secrets of a PostgreSQL store shared
// by nodes are re-encrypted under a new key; then a node with the new key
// starts, and nodes with the old key or none are refused, naming the key.
func TestRotateMasterKeyInPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	key := func() string {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}
	oldKey, newKey := key(), key()
	start := func(k string) (*App, error) {
		return New(ctx, Options{DataDir: t.TempDir(), Region: "us-east-1", AccountID: "123456789012", PublicURL: "http://127.0.0.1",
			Root:   RootCredentials{AccessKeyID: "AKIAROTATETEST000001", SecretAccessKey: "rotate-test-secret"},
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Store: dsn, MasterKey: MasterKeySource{Value: k}})
	}
	a, err := start(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	summary, err := RotateMasterKeyIn(ctx, t.TempDir(), dsn, MasterKeySource{Value: oldKey}, MasterKeySource{Value: newKey})
	if err != nil {
		t.Fatalf("rotate: %v (%s)", err, summary)
	}
	b, err := start(newKey)
	if err != nil {
		t.Fatalf("a node with the new key: %v", err)
	}
	b.Close()
	for name, k := range map[string]string{"old key": oldKey, "no key": ""} {
		if c, err := start(k); err == nil {
			c.Close()
			t.Errorf("a node with the %s started on the rotated store", name)
		} else if !strings.Contains(err.Error(), "master key") {
			t.Errorf("a node with the %s: %v; want a message about the master key", name, err)
		}
	}
}
