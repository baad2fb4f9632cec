package s3blob_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/blob/s3blob"
)

// The benchmarks put and get 4 KiB and 8 MiB blobs through fsblob and
// through s3blob backed by an in-process federa (itself over fsblob, on
// loopback). The ratio is the price of keeping the bytes behind an S3 API:
// HTTP, SigV4 and federa's metadata commit on top of the same disk writes.
//
//	go test ./internal/blob/s3blob -run '^$' -bench . -count 5

var benchSizes = []int64{4 << 10, 8 << 20}

func benchStores(b *testing.B) map[string]blob.Store {
	fs, err := fsblob.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { fs.Close() })
	be := newBackend(b)
	return map[string]blob.Store{"fsblob": fs, "s3blob": be.store(b, s3blob.Config{}, nil)}
}

func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	stores := benchStores(b)
	for _, name := range []string{"fsblob", "s3blob"} {
		for _, size := range benchSizes {
			b.Run(fmt.Sprintf("%s/%s", name, sizeName(size)), func(b *testing.B) {
				body := make([]byte, size)
				b.SetBytes(size)
				for i := 0; b.Loop(); i++ {
					// A reader with no Len or Seek, like the request body
					// the s3 service passes on.
					r := struct{ io.Reader }{bytes.NewReader(body)}
					if _, err := stores[name].Put(ctx, fmt.Sprintf("bench/%d", i%8), r); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	stores := benchStores(b)
	for _, name := range []string{"fsblob", "s3blob"} {
		for _, size := range benchSizes {
			b.Run(fmt.Sprintf("%s/%s", name, sizeName(size)), func(b *testing.B) {
				s := stores[name]
				id := "get/" + sizeName(size)
				if _, err := s.Put(ctx, id, bytes.NewReader(make([]byte, size))); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(size)
				for b.Loop() {
					rc, _, err := s.Open(ctx, id)
					if err != nil {
						b.Fatal(err)
					}
					if n, err := io.Copy(io.Discard, rc); err != nil || n != size {
						b.Fatalf("read %d bytes: %v", n, err)
					}
					rc.Close()
				}
			})
		}
	}
}

func sizeName(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}
