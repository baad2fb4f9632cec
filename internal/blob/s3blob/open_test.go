package s3blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/blob/s3blob"
)

// blobBytes is a 3 MiB blob whose bytes differ by offset.
func blobBytes() []byte {
	b := make([]byte, 3<<20)
	for i := range b {
		b[i] = byte(i*7 + i>>10)
	}
	return b
}

// cutBody ends a response body with a connection reset after n bytes.
type cutBody struct {
	io.ReadCloser
	n int
}

func (c *cutBody) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, syscall.ECONNRESET
	}
	if len(p) > c.n {
		p = p[:c.n]
	}
	n, err := c.ReadCloser.Read(p)
	c.n -= n
	return n, err
}

// TestS3BlobReadResumes: responses cut off mid-body are resumed with ranged
// requests from where they stopped, and the bytes come out whole.
func TestS3BlobReadResumes(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	var gets atomic.Int64
	client := &countingClient{modify: func(req *http.Request, resp *http.Response) (*http.Response, error) {
		if req.Method == http.MethodGet && resp.StatusCode/100 == 2 && gets.Add(1) <= 3 {
			resp.Body = &cutBody{ReadCloser: resp.Body, n: 700 << 10}
		}
		return resp, nil
	}}
	s := b.store(t, s3blob.Config{}, client)
	want := blobBytes()
	if _, err := s.Put(ctx, "r", bytes.NewReader(want)); err != nil {
		t.Fatal(err)
	}
	rc, _, err := s.Open(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, equal %v, %v", len(got), bytes.Equal(got, want), err)
	}
	if n := gets.Load(); n != 4 {
		t.Errorf("%d GETs for three cuts, want 4", n)
	}
}

// TestS3BlobReadGivesUp: a body that fails without progress is resumed a few
// times, then the error is returned rather than retried for ever.
func TestS3BlobReadGivesUp(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	var gets atomic.Int64
	client := &countingClient{modify: func(req *http.Request, resp *http.Response) (*http.Response, error) {
		if req.Method == http.MethodGet && resp.StatusCode/100 == 2 {
			gets.Add(1)
			resp.Body = &cutBody{ReadCloser: resp.Body, n: 0}
		}
		return resp, nil
	}}
	s := b.store(t, s3blob.Config{}, client)
	if _, err := s.Put(ctx, "r", bytes.NewReader(blobBytes())); err != nil {
		t.Fatal(err)
	}
	rc, _, err := s.Open(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadAll(rc); !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("read of a body that always fails: %v", err)
	}
	if n := gets.Load(); n < 2 || n > 5 {
		t.Errorf("%d GETs, want the first and a few resumptions", n)
	}
}

// TestS3BlobReadRequests: a whole read is one request; a seek asks again only
// when skipping would cost more than a request.
func TestS3BlobReadRequests(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	client := &countingClient{}
	s := b.store(t, s3blob.Config{}, client)
	want := blobBytes()
	if _, err := s.Put(ctx, "r", bytes.NewReader(want)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		seeks []int64 // absolute positions, each followed by a 1000-byte read
		reqs  int64
	}{
		{"whole", nil, 1},
		{"from zero", []int64{0}, 1},
		{"short skip", []int64{0, 100 << 10}, 1},
		{"long skip", []int64{0, 2 << 20}, 2},
		{"back", []int64{2 << 20, 0}, 3},
		{"range", []int64{1 << 20}, 2},
	} {
		client.count.Store(0)
		rc, _, err := s.Open(ctx, "r")
		if err != nil {
			t.Fatal(err)
		}
		if tc.seeks == nil {
			got, err := io.ReadAll(rc)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s: %d bytes, %v", tc.name, len(got), err)
			}
		}
		for _, pos := range tc.seeks {
			if _, err := rc.Seek(pos, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, 1000)
			if _, err := io.ReadFull(rc, got); err != nil || !bytes.Equal(got, want[pos:pos+1000]) {
				t.Fatalf("%s: read at %d: %v", tc.name, pos, err)
			}
		}
		rc.Close()
		if n := client.count.Load(); n != tc.reqs {
			t.Errorf("%s: %d requests, want %d", tc.name, n, tc.reqs)
		}
	}
}

// TestS3BlobReadReplacedOrDeleted: a blob replaced or deleted between two of a
// reader's requests fails the read; bytes of two versions never mix.
func TestS3BlobReadReplacedOrDeleted(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	s := b.store(t, s3blob.Config{}, nil)
	for _, change := range []string{"replace", "delete"} {
		if _, err := s.Put(ctx, "r", bytes.NewReader(blobBytes())); err != nil {
			t.Fatal(err)
		}
		rc, _, err := s.Open(ctx, "r")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rc.Read(make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		if change == "replace" {
			_, err = s.Put(ctx, "r", strings.NewReader(strings.Repeat("v2", 2<<20)))
		} else {
			err = s.Delete(ctx, "r")
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rc.Seek(2<<20, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		_, err = rc.Read(make([]byte, 10))
		switch {
		case change == "replace" && (err == nil || !strings.Contains(err.Error(), "replaced")):
			t.Errorf("read after the blob was replaced: %v", err)
		case change == "delete" && !errors.Is(err, blob.ErrNotFound):
			t.Errorf("read after the blob was deleted: %v", err)
		}
		rc.Close()
	}
}

// TestS3BlobReadDetectsCorruption: with checksums on (the default), bytes changed
// on the way fail the read that ends the blob instead of passing as good.
func TestS3BlobReadDetectsCorruption(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	client := &countingClient{modify: func(req *http.Request, resp *http.Response) (*http.Response, error) {
		if req.Method == http.MethodGet && resp.StatusCode == http.StatusOK {
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return nil, err
			}
			body[len(body)/2] ^= 1
			resp.Body = io.NopCloser(bytes.NewReader(body))
		}
		return resp, nil
	}}
	s := b.store(t, s3blob.Config{Checksum: s3blob.ChecksumWhenSupported}, client)
	if _, err := s.Put(ctx, "r", bytes.NewReader(blobBytes())); err != nil {
		t.Fatal(err)
	}
	rc, _, err := s.Open(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	// s3api serves a GET with io.CopyN, which drops an error that comes
	// with the last bytes: the last bytes must not come.
	n, err := io.CopyN(io.Discard, rc, 3<<20)
	if err == nil || !strings.Contains(err.Error(), "checksum") || n == 3<<20 {
		t.Errorf("a corrupted body read as %d bytes, %v", n, err)
	}
}
