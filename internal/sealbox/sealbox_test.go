package sealbox_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/federa/federa/internal/sealbox"
	"github.com/federa/federa/internal/store/sqlstore"
)

// newBox returns a box over a fresh SQLite store, the same store every node
// of a deployment would share.
func newBox(tb testing.TB) (*sealbox.Box, *sqlstore.Store) {
	tb.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(tb.TempDir(), "db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	now := func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	return sealbox.New(st, "session", now), st
}

// TestSealOpen seals one value and opens it as given, then with each part
// of it changed: every change must fail as ErrInvalid, never as another
// error or a wrong plaintext.
func TestSealOpen(t *testing.T) {
	ctx := context.Background()
	box, st := newBox(t)
	plain, aad := []byte(`{"v":1,"akid":"ASIAEXAMPLE"}`), []byte("FED1")
	id, sealed, err := box.Seal(ctx, plain, aad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		c := bytes.Clone(sealed)
		c[i] ^= 1
		return c
	}
	for _, tt := range []struct {
		name   string
		id     string
		sealed []byte
		aad    []byte
		ok     bool
	}{
		{"round trip", id, sealed, aad, true},
		{"tampered nonce", id, flip(0), aad, false},
		{"tampered ciphertext", id, flip(len(sealed) / 2), aad, false},
		{"tampered tag", id, flip(len(sealed) - 1), aad, false},
		{"truncated", id, sealed[:5], aad, false},
		{"wrong additional data", id, sealed, []byte("FED2"), false},
		{"missing additional data", id, sealed, nil, false},
		{"unknown key id", "00000000", sealed, aad, false},
		{"malformed key id", "../etc", sealed, aad, false},
	} {
		got, err := box.Open(ctx, tt.id, tt.sealed, tt.aad)
		switch {
		case tt.ok && (err != nil || !bytes.Equal(got, plain)):
			t.Errorf("%s: Open = %q, %v; want %q", tt.name, got, err, plain)
		case !tt.ok && !errors.Is(err, sealbox.ErrInvalid):
			t.Errorf("%s: Open = %q, %v; want ErrInvalid", tt.name, got, err)
		}
	}
	// Another node sharing the store opens what this one sealed.
	if got, err := sealbox.New(st, "session", time.Now).Open(ctx, id, sealed, aad); err != nil || !bytes.Equal(got, plain) {
		t.Errorf("other node: Open = %q, %v", got, err)
	}
	// Another purpose's box has its own keys.
	if _, err := sealbox.New(st, "other", time.Now).Open(ctx, id, sealed, aad); !errors.Is(err, sealbox.ErrInvalid) {
		t.Errorf("other purpose opened the value: %v", err)
	}
}
