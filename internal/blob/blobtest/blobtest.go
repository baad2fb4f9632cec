// Package blobtest is the conformance suite every blob.Store passes.
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/federa/federa/internal/blob"
)

// Run runs the suite against fresh stores from newStore.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	ctx := context.Background()
	t.Run("PutOpenSeekDelete", func(t *testing.T) {
		s := newStore(t)
		n, err := s.Put(ctx, "b/obj-1", bytes.NewReader([]byte("hello world")))
		if err != nil || n != 11 {
			t.Fatalf("put: %d %v", n, err)
		}
		rc, size, err := s.Open(ctx, "b/obj-1")
		if err != nil || size != 11 {
			t.Fatalf("open: %d %v", size, err)
		}
		if _, err := rc.Seek(6, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		rest, _ := io.ReadAll(rc)
		rc.Close()
		if string(rest) != "world" {
			t.Errorf("after seek read %q", rest)
		}
		if _, err := s.Put(ctx, "b/obj-1", bytes.NewReader([]byte("v2"))); err != nil {
			t.Fatal(err)
		}
		if got := read(t, s, "b/obj-1"); got != "v2" {
			t.Errorf("overwrite read %q", got)
		}
		if err := s.Delete(ctx, "b/obj-1"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "b/obj-1"); err != nil {
			t.Errorf("deleting a missing blob: %v", err)
		}
		if _, _, err := s.Open(ctx, "b/obj-1"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("open deleted: %v", err)
		}
	})
	t.Run("FailedPutLeavesNothing", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Put(ctx, "x", io.MultiReader(bytes.NewReader(make([]byte, 1000)), failing{}))
		if err == nil {
			t.Fatal("a failing reader was stored")
		}
		if _, _, err := s.Open(ctx, "x"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("after a failed put: %v", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Put(cctx, "y", bytes.NewReader([]byte("z"))); err == nil {
			t.Error("put with a cancelled context succeeded")
		}
	})
	t.Run("Large", func(t *testing.T) {
		s := newStore(t)
		const size = 20 << 20
		h := sha256.New()
		src := io.TeeReader(io.LimitReader(pattern{}, size), h)
		if n, err := s.Put(ctx, "big", src); err != nil || n != size {
			t.Fatalf("put: %d %v", n, err)
		}
		rc, _, err := s.Open(ctx, "big")
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		h2 := sha256.New()
		if _, err := io.Copy(h2, rc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(h.Sum(nil), h2.Sum(nil)) {
			t.Error("large blob changed")
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Put(ctx, fmt.Sprintf("c/%d", i), bytes.NewReader([]byte(fmt.Sprint(i)))); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		for i := 0; i < 16; i++ {
			if got := read(t, s, fmt.Sprintf("c/%d", i)); got != fmt.Sprint(i) {
				t.Errorf("c/%d = %q", i, got)
			}
		}
	})
	t.Run("BadIDs", func(t *testing.T) {
		s := newStore(t)
		for _, id := range []string{"", "/abs", "../up", "a/../b", "a//b", "sp ace", "a/./b"} {
			if _, err := s.Put(ctx, id, bytes.NewReader(nil)); err == nil {
				t.Errorf("id %q accepted", id)
			}
		}
	})
	runStreams(t, newStore)
}

func read(t *testing.T, s blob.Store, id string) string {
	t.Helper()
	rc, _, err := s.Open(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

type pattern struct{}

func (pattern) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i * 7)
	}
	return len(p), nil
}
