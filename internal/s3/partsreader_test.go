package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/store"
)

// TestPartsReaderMatchesBytesReader drives a partsReader and a bytes.Reader
// over the same bytes with the same random reads and seeks: every answer
// must agree, across part boundaries and empty parts alike.
func TestPartsReaderMatchesBytesReader(t *testing.T) {
	ctx := context.Background()
	bl, err := fsblob.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	layouts := [][]int{{5}, {0}, {3, 0, 4}, {1, 1, 1, 1}, {100, 37, 0, 250, 1}, {0, 0, 9}}
	for li, sizes := range layouts {
		var whole []byte
		var parts []store.ObjectPart
		for pi, n := range sizes {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			id := fmt.Sprintf("t/%d-%d", li, pi)
			if _, err := bl.Put(ctx, id, bytes.NewReader(b)); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, store.ObjectPart{BlobID: id, Size: int64(n)})
			whole = append(whole, b...)
		}
		s := &Service{bl: bl}
		rc, err := s.openBytes(ctx, Object{Parts: parts})
		if err != nil {
			t.Fatal(err)
		}
		want := bytes.NewReader(whole)
		for op := range 200 {
			if rng.IntN(3) == 0 {
				off, whence := int64(rng.IntN(len(whole)+3)), rng.IntN(3)
				if whence != io.SeekStart {
					off -= int64(len(whole)) / 2
				}
				g, gerr := rc.Seek(off, whence)
				w, werr := want.Seek(off, whence)
				if (gerr != nil) != (werr != nil) || (gerr == nil && g != w) {
					t.Fatalf("layout %v op %d: Seek(%d, %d) = %d, %v; want %d, %v", sizes, op, off, whence, g, gerr, w, werr)
				}
				continue
			}
			n := rng.IntN(40)
			gb, gerr := io.ReadAll(io.LimitReader(rc, int64(n)))
			wb, _ := io.ReadAll(io.LimitReader(want, int64(n)))
			if gerr != nil || !bytes.Equal(gb, wb) {
				t.Fatalf("layout %v op %d: read %d = %x, %v; want %x", sizes, op, n, gb, gerr, wb)
			}
		}
		if err := rc.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPartsReaderRefusesChangedParts checks that a part that vanished or
// changed size fails the read instead of sending other bytes.
func TestPartsReaderRefusesChangedParts(t *testing.T) {
	ctx := context.Background()
	bl, err := fsblob.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if _, err := bl.Put(ctx, id, bytes.NewReader([]byte("xyz"))); err != nil {
			t.Fatal(err)
		}
	}
	s := &Service{bl: bl}
	for _, parts := range [][]store.ObjectPart{
		{{BlobID: "a", Size: 3}, {BlobID: "gone", Size: 3}},
		{{BlobID: "a", Size: 3}, {BlobID: "b", Size: 4}},
	} {
		rc, err := s.openBytes(ctx, Object{Parts: parts})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		if !errors.Is(err, errPartChanged) || string(got) != "xyz" {
			t.Errorf("%v: read %q, %v; want the first part then errPartChanged", parts, got, err)
		}
		rc.Close()
	}
}

func TestPartRange(t *testing.T) {
	multi := Object{Size: 12, Parts: []store.ObjectPart{{Size: 5}, {Size: 5}, {Size: 2}}}
	tests := []struct {
		o                    Object
		n                    int
		start, length        int64
		count                int
		wantInvalidPartNumer bool
	}{
		{multi, 1, 0, 5, 3, false},
		{multi, 3, 10, 2, 3, false},
		{multi, 4, 0, 0, 0, true},
		{Object{Size: 9}, 1, 0, 9, 0, false},
		{Object{Size: 9}, 2, 0, 0, 0, true},
	}
	for _, tt := range tests {
		start, length, count, err := PartRange(tt.o, tt.n)
		if tt.wantInvalidPartNumer {
			if !ErrInvalidPartNumber.Is(err) {
				t.Errorf("PartRange(%d) err = %v, want InvalidPartNumber", tt.n, err)
			}
			continue
		}
		if err != nil || start != tt.start || length != tt.length || count != tt.count {
			t.Errorf("PartRange(%d) = %d, %d, %d, %v", tt.n, start, length, count, err)
		}
	}
}
