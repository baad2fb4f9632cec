package s3blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/blob/s3blob"
)

// slowDown is S3's answer to too many requests, which the SDK retries.
func slowDown(req *http.Request) *http.Response {
	return &http.Response{
		StatusCode: http.StatusServiceUnavailable, Status: "503 Slow Down", Request: req,
		Header: http.Header{"Content-Type": {"application/xml"}},
		Body:   io.NopCloser(strings.NewReader(`<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)),
	}
}

// quickRetries is the SDK's standard retryer without the waits.
func quickRetries(c *aws.Config) {
	c.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	}
}

// failing is a test transport: requests that match fail with 503 as long as
// fails stays positive.
type failing struct {
	match func(*http.Request) bool
	fails atomic.Int64
	seen  atomic.Int64
}

func (f *failing) Do(req *http.Request) (*http.Response, error) {
	if f.match(req) {
		f.seen.Add(1)
		if f.fails.Add(-1) >= 0 {
			if req.Body != nil {
				_, _ = io.Copy(io.Discard, req.Body)
			}
			return slowDown(req), nil
		}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func isPart(n string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == http.MethodPut && r.URL.Query().Get("partNumber") == n }
}

// TestS3BlobPutRetries: the SDK's standard retryer resends a part and a whole
// PutObject that the server turned away, with their bodies intact.
func TestS3BlobPutRetries(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	for _, tc := range []struct {
		name  string
		match func(*http.Request) bool
		size  int64
	}{
		{"PutObject", func(r *http.Request) bool {
			return r.Method == http.MethodPut && !r.URL.Query().Has("uploadId") && !r.URL.Query().Has("partNumber")
		}, 1 << 20},
		{"UploadPart", isPart("2"), 20 << 20},
	} {
		f := &failing{match: tc.match}
		f.fails.Store(2)
		s := b.store(t, s3blob.Config{}, f)
		want := make([]byte, tc.size)
		for i := range want {
			want[i] = byte(i >> 9)
		}
		if n, err := s.Put(ctx, "r", bytes.NewReader(want)); err != nil || n != tc.size {
			t.Fatalf("%s: put: %d %v", tc.name, n, err)
		}
		if got := f.seen.Load(); got != 3 {
			t.Errorf("%s: %d attempts, want 3", tc.name, got)
		}
		rc, _, err := s.Open(ctx, "r")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the retried upload reads back changed", tc.name)
		}
	}
}

// TestS3BlobPutFailureAborts: when a part or the completion fails for good, the
// upload is aborted (the store's clean-up finds none) and no object exists.
func TestS3BlobPutFailureAborts(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	for _, tc := range []struct {
		name  string
		match func(*http.Request) bool
	}{
		{"part 2", isPart("2")},
		{"part 3", isPart("3")},
		{"complete", func(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Query().Has("uploadId") }},
	} {
		f := &failing{match: tc.match}
		f.fails.Store(1000)
		s := b.store(t, s3blob.Config{}, f)
		if _, err := s.Put(ctx, "r", io.LimitReader(zeros{}, 20<<20)); err == nil || !strings.Contains(err.Error(), "SlowDown") {
			t.Errorf("%s failing: put: %v", tc.name, err)
		}
		if _, _, err := s.Open(ctx, "r"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("%s failing: open: %v", tc.name, err)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestS3BlobPutMemoryBounded: a body of any length is sent holding at most one
// part being read plus the parts in flight, never the whole body.
func TestS3BlobPutMemoryBounded(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	s := b.store(t, s3blob.Config{PartSize: s3blob.MinPartSize}, nil)
	const size = 100 << 20
	h := sha256.New()
	if n, err := s.Put(ctx, "big", io.TeeReader(io.LimitReader(zeros{}, size), h)); err != nil || n != size {
		t.Fatalf("put: %d %v", n, err)
	}
	if peak := s3blob.PartBuffersPeak(s); peak > s3blob.UploadConcurrency+1 {
		t.Errorf("%d part buffers held at once, want at most %d", peak, s3blob.UploadConcurrency+1)
	}
	rc, n, err := s.Open(ctx, "big")
	if err != nil || n != size {
		t.Fatalf("open: %d %v", n, err)
	}
	defer rc.Close()
	h2 := sha256.New()
	if _, err := io.Copy(h2, rc); err != nil || !bytes.Equal(h.Sum(nil), h2.Sum(nil)) {
		t.Errorf("read back: %v, equal %v", err, bytes.Equal(h.Sum(nil), h2.Sum(nil)))
	}
}

// TestS3BlobSmallPutsTakeNoPartBuffer: bodies under 64 KiB, the common case for
// federa's small objects, never take a part-sized buffer.
func TestS3BlobSmallPutsTakeNoPartBuffer(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	s := b.store(t, s3blob.Config{}, nil)
	for i := 0; i < 20; i++ {
		if _, err := s.Put(ctx, "small", strings.NewReader(strings.Repeat("x", 4096))); err != nil {
			t.Fatal(err)
		}
	}
	if peak := s3blob.PartBuffersPeak(s); peak != 0 {
		t.Errorf("%d part buffers taken for small bodies", peak)
	}
}
