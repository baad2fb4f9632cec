package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/federa/federa/internal/app/apptest"
)

// TestPostObjectLargeMemoryFlat streams a large file through a browser
// upload and watches the heap: the server must stream the file part into the
// blob store, never buffer it. The client and server share this process, so
// the bound covers both (the client streams too, through a pipe).
func TestPostObjectLargeMemoryFlat(t *testing.T) {
	size := int64(512 << 20)
	if testing.Short() {
		size = 64 << 20
	}
	const heapBound = 48 << 20
	srv := apptest.NewServer(t)
	ctx := context.Background()
	s3c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("large")})
	must(t, err)
	root := aws.Credentials{AccessKeyID: apptest.Root.AccessKeyID, SecretAccessKey: apptest.Root.SecretAccessKey}
	s := newPostSigner(root, srv.Clock.Now())
	policy := s.policy(t, time.Hour, map[string]string{"bucket": "large"}, map[string]string{"key": "big.bin"},
		[]any{"content-length-range", size, size})
	fields := s.form(policy, field{"key", "big.bin"})

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	sum := md5.New()
	go func() {
		for _, f := range fields {
			if err := mw.WriteField(f.name, f.value); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		fw, err := mw.CreateFormFile("file", "big.bin")
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		chunk := make([]byte, 1<<20)
		for i := range chunk {
			chunk[i] = byte(i * 7)
		}
		for n := int64(0); n < size; n += int64(len(chunk)) {
			chunk[0] = byte(n >> 20) // vary the content from MiB to MiB
			sum.Write(chunk)
			if _, err := fw.Write(chunk); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/large", pr)
	must(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	start := time.Now()
	r := do(t, req)
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	if r.status != 204 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	growth := int64(peak.Load()) - int64(base.HeapInuse)
	t.Logf("POST %d MiB in %v (%.0f MB/s), heap in use grew by at most %.1f MiB",
		size>>20, elapsed.Round(time.Millisecond), float64(size)/1e6/elapsed.Seconds(), float64(growth)/(1<<20))
	if growth > heapBound {
		t.Errorf("heap grew by %d MiB streaming a %d MiB upload", growth>>20, size>>20)
	}
	want := `"` + hex.EncodeToString(sum.Sum(nil)) + `"`
	head, err := s3c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("large"), Key: aws.String("big.bin")})
	must(t, err)
	if aws.ToInt64(head.ContentLength) != size || aws.ToString(head.ETag) != want || r.header.Get("ETag") != want {
		t.Errorf("stored %d bytes etag %s, want %d %s", aws.ToInt64(head.ContentLength), aws.ToString(head.ETag), size, want)
	}
}

// BenchmarkPostObject4KiB measures signed 4 KiB browser uploads per second,
// one at a time, policy checks and signature included.
func BenchmarkPostObject4KiB(b *testing.B) {
	srv := apptest.NewServer(b)
	ctx := context.Background()
	s3c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	root := aws.Credentials{AccessKeyID: apptest.Root.AccessKeyID, SecretAccessKey: apptest.Root.SecretAccessKey}
	s := newPostSigner(root, srv.Clock.Now())
	payload := make([]byte, 4<<10)
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		key := "k/" + strconv.Itoa(i)
		policy := s.policy(b, time.Hour, map[string]string{"bucket": "bench"}, map[string]string{"key": key})
		u := upload{fields: s.form(policy, field{"key", key}), file: payload, filename: "f"}
		ct, body := u.body(b)
		resp, err := http.Post(srv.URL+"/bench", ct, bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 204 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
