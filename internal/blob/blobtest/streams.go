package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"testing"

	"github.com/federa/federa/internal/blob"
)

// runStreams holds the cases about body sizes, seeking and interrupted
// writes. Backends buffer and split bodies (copy buffers, upload parts), so
// sizes sit on both sides of the usual boundaries: 32 KiB, 64 KiB, and the
// 5 MiB and 8 MiB of S3 parts.
func runStreams(t *testing.T, newStore func(t *testing.T) blob.Store) {
	ctx := context.Background()
	t.Run("Sizes", func(t *testing.T) {
		s := newStore(t)
		for _, size := range []int64{0, 1, 32<<10 - 1, 32 << 10, 64<<10 - 1, 64 << 10, 64<<10 + 1,
			5 << 20, 8<<20 - 1, 8 << 20, 8<<20 + 1, 16<<20 + 1} {
			id := fmt.Sprintf("sizes/%d", size)
			want := patternBytes(size, byte(size))
			// onlyReader hides bytes.Reader's other methods, as a network
			// body would: the backend cannot learn the size in advance.
			n, err := s.Put(ctx, id, onlyReader{bytes.NewReader(want)})
			if err != nil || n != size {
				t.Fatalf("put %d bytes: %d %v", size, n, err)
			}
			rc, got, err := s.Open(ctx, id)
			if err != nil || got != size {
				t.Fatalf("open %d bytes: size %d %v", size, got, err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(b, want) {
				t.Fatalf("%d bytes read back as %d bytes (equal %v), %v", size, len(b), bytes.Equal(b, want), err)
			}
		}
	})
	t.Run("Seek", func(t *testing.T) {
		s := newStore(t)
		const size = 3<<20 + 17
		want := patternBytes(size, 3)
		if _, err := s.Put(ctx, "seek/x", bytes.NewReader(want)); err != nil {
			t.Fatal(err)
		}
		rc, _, err := s.Open(ctx, "seek/x")
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		// The oracle is a bytes.Reader over the same bytes: every seek and
		// read must agree with it, short or long, forward or back.
		oracle := bytes.NewReader(want)
		rnd := rand.New(rand.NewSource(1))
		for i := 0; i < 60; i++ {
			off, whence := int64(0), io.SeekStart
			switch i % 4 {
			case 0:
				off = rnd.Int63n(size + 100)
			case 1:
				off, whence = rnd.Int63n(300<<10), io.SeekCurrent // mostly short skips
			case 2:
				off, whence = -rnd.Int63n(size/2), io.SeekEnd
			case 3:
				off, whence = -rnd.Int63n(1000), io.SeekCurrent
			}
			wantPos, werr := oracle.Seek(off, whence)
			gotPos, gerr := rc.Seek(off, whence)
			if (werr == nil) != (gerr == nil) || werr == nil && gotPos != wantPos {
				t.Fatalf("seek(%d, %d) = %d %v, want %d %v", off, whence, gotPos, gerr, wantPos, werr)
			}
			if werr != nil {
				continue
			}
			n := rnd.Intn(200 << 10)
			wb, werr := io.ReadAll(io.LimitReader(oracle, int64(n)))
			gb, gerr := io.ReadAll(io.LimitReader(rc, int64(n)))
			if werr != nil || gerr != nil || !bytes.Equal(wb, gb) {
				t.Fatalf("after seek(%d, %d) to %d, read %d: got %d bytes %v, want %d bytes", off, whence, wantPos, n, len(gb), gerr, len(wb))
			}
		}
		if _, err := rc.Seek(-1, io.SeekStart); err == nil {
			t.Error("seek to -1 accepted")
		}
		if _, err := rc.Seek(size+5, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		if n, err := rc.Read(make([]byte, 10)); n != 0 || err != io.EOF {
			t.Errorf("read past the end: %d %v, want 0 EOF", n, err)
		}
	})
	t.Run("Missing", func(t *testing.T) {
		s := newStore(t)
		if _, _, err := s.Open(ctx, "never/written"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("open of a blob never written: %v", err)
		}
		if err := s.Delete(ctx, "never/written"); err != nil {
			t.Errorf("delete of a blob never written: %v", err)
		}
	})
	t.Run("FailedLargePutLeavesNothing", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Put(ctx, "kept", bytes.NewReader([]byte("old"))); err != nil {
			t.Fatal(err)
		}
		// Failures after several parts' worth of bytes: a backend that
		// uploads in parts has sent some when the body breaks.
		for _, after := range []int64{9 << 20, 17 << 20} {
			body := io.MultiReader(io.LimitReader(pattern{}, after), failing{})
			if _, err := s.Put(ctx, fmt.Sprintf("broken-%d", after), body); err == nil {
				t.Fatalf("a body failing after %d bytes was stored", after)
			}
			if _, _, err := s.Open(ctx, fmt.Sprintf("broken-%d", after)); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("after a put failing at %d bytes: %v", after, err)
			}
			// A failed overwrite keeps the blob it would have replaced.
			body = io.MultiReader(io.LimitReader(pattern{}, after), failing{})
			if _, err := s.Put(ctx, "kept", body); err == nil {
				t.Fatal("a failing overwrite was stored")
			}
			if got := read(t, s, "kept"); got != "old" {
				t.Errorf("after a failed overwrite at %d bytes the blob reads %d bytes", after, len(got))
			}
		}
	})
	t.Run("CancelledMidStream", func(t *testing.T) {
		s := newStore(t)
		for _, after := range []int64{100, 6 << 20, 20 << 20} {
			cctx, cancel := context.WithCancel(ctx)
			body := &cancelAfter{r: io.LimitReader(pattern{}, 40<<20), left: after, cancel: cancel}
			id := fmt.Sprintf("cancelled-%d", after)
			if _, err := s.Put(cctx, id, body); err == nil {
				t.Errorf("a put cancelled after %d bytes succeeded", after)
			}
			cancel()
			if _, _, err := s.Open(ctx, id); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("after a put cancelled at %d bytes: %v", after, err)
			}
		}
	})
}

// patternBytes returns size bytes that differ between offsets and seeds, so
// a misplaced or mixed-up range shows.
func patternBytes(size int64, seed byte) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(i*7+i>>11) ^ seed
	}
	return b
}

// onlyReader hides every method but Read.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// cancelAfter cancels the Put's context once left bytes have been read, as a
// client hanging up mid-upload does, and keeps serving bytes after that.
type cancelAfter struct {
	r      io.Reader
	left   int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.left -= int64(n); c.left <= 0 {
		c.cancel()
	}
	return n, err
}
