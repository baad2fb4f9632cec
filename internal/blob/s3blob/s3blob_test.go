package s3blob_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/blob/blobtest"
	"github.com/federa/federa/internal/blob/s3blob"
)

// The suite runs against federa's own S3 API, served in-process over
// fsblob, so the two backends and s3api check each other (STYLE.md).
func TestS3BlobConformance(t *testing.T) {
	for _, checksum := range []string{s3blob.ChecksumWhenSupported, s3blob.ChecksumWhenRequired} {
		t.Run(checksum, func(t *testing.T) {
			b := newBackend(t)
			blobtest.Run(t, func(t *testing.T) blob.Store {
				return b.store(t, s3blob.Config{Checksum: checksum}, nil)
			})
		})
	}
}

// TestS3BlobConformanceExternal runs the suite against another S3-compatible
// server (MinIO, Ceph, AWS) when FEDERA_TEST_S3_ENDPOINT names it. The
// bucket (FEDERA_TEST_S3_BUCKET) must exist; credentials come from the
// SDK's default chain, as in production. Each run writes under a fresh
// prefix and removes what it wrote.
func TestS3BlobConformanceExternal(t *testing.T) {
	endpoint := os.Getenv("FEDERA_TEST_S3_ENDPOINT")
	if endpoint == "" {
		t.Skip("set FEDERA_TEST_S3_ENDPOINT (and FEDERA_TEST_S3_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) to run against an external S3 server")
	}
	bucket := os.Getenv("FEDERA_TEST_S3_BUCKET")
	if bucket == "" {
		t.Fatal("FEDERA_TEST_S3_ENDPOINT is set but FEDERA_TEST_S3_BUCKET is not: name an existing bucket")
	}
	ctx := context.Background()
	run := "federa-blobtest/" + randomHex()
	var n atomic.Int64
	blobtest.Run(t, func(t *testing.T) blob.Store {
		u := fmt.Sprintf("s3://%s/%s/%d?endpoint=%s", bucket, run, n.Add(1), endpoint)
		s, err := s3blob.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { emptyPrefix(t, s) })
		return s
	})
}

// backend is an in-process federa with one bucket for blobs.
type backend struct {
	srv    *apptest.Server
	bucket string
	root   *s3.Client
	runs   atomic.Int64
}

func newBackend(t testing.TB) *backend {
	t.Helper()
	b := &backend{srv: apptest.NewServer(t), bucket: "blobs"}
	b.root = s3.NewFromConfig(b.srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := b.root.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: &b.bucket}); err != nil {
		t.Fatal(err)
	}
	return b
}

// awsConfig is what s3blob is given in tests: the root key, no region (the
// endpoint implies us-east-1), the SDK's standard retryer without its waits,
// and client as the HTTP client when not nil.
func (b *backend) awsConfig(client aws.HTTPClient) aws.Config {
	if client == nil {
		// An *http.Client, so that Close can drop its idle connections:
		// a connection dialled but never used would hold up the server's
		// shutdown for five seconds (net/http treats it as new, not idle).
		client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	c := aws.Config{
		Credentials: credentials.NewStaticCredentialsProvider(apptest.Root.AccessKeyID, apptest.Root.SecretAccessKey, ""),
		HTTPClient:  client,
	}
	quickRetries(&c)
	return c
}

// store returns a store under a fresh prefix of the bucket. c's Bucket,
// Endpoint and Prefix are filled in. At the end of the test no multipart
// upload may be left under the prefix: every failed Put must have aborted
// its own.
func (b *backend) store(t testing.TB, c s3blob.Config, client aws.HTTPClient) *s3blob.Store {
	t.Helper()
	c.Bucket, c.Endpoint, c.PathStyle = b.bucket, b.srv.URL, true
	c.Prefix = fmt.Sprintf("run-%d/", b.runs.Add(1))
	s, err := s3blob.New(c, b.awsConfig(client))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		out, err := b.root.ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: &b.bucket, Prefix: &c.Prefix})
		if err != nil {
			t.Errorf("list uploads: %v", err)
			return
		}
		for _, u := range out.Uploads {
			t.Errorf("multipart upload of %s left behind", aws.ToString(u.Key))
		}
		s.Close()
	})
	return s
}

// emptyPrefix deletes what a test left under the store's prefix.
func emptyPrefix(t *testing.T, s *s3blob.Store) {
	c := s.Config()
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Error(err)
		return
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.BaseEndpoint, o.UsePathStyle, o.Region = aws.String(c.Endpoint), c.PathStyle, c.Region
	})
	p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: &c.Bucket, Prefix: &c.Prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Error(err)
			return
		}
		for _, o := range page.Contents {
			if _, err := client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: &c.Bucket, Key: o.Key}); err != nil {
				t.Error(err)
			}
		}
	}
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TestS3BlobKeysStayUnderPrefix: every key written is prefix+id, and a store's
// blobs are invisible to a store with another prefix.
func TestS3BlobKeysStayUnderPrefix(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	s1 := b.store(t, s3blob.Config{}, nil)
	s2 := b.store(t, s3blob.Config{}, nil)
	for _, id := range []string{"a", "ab/cd/ef-1.2_3", "X"} {
		if _, err := s1.Put(ctx, id, strings.NewReader(id)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s2.Open(ctx, "a"); err == nil {
		t.Error("a blob of another prefix was found")
	}
	out, err := b.root.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &b.bucket})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, *o.Key)
	}
	want := "run-1/X run-1/a run-1/ab/cd/ef-1.2_3"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("keys %q, want %q", got, want)
	}
}

// TestS3BlobOpenURL goes through Open, as serve will: the default credential
// chain from the environment, the bucket checked at start, and errors that
// say what is wrong.
func TestS3BlobOpenURL(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	// Nothing from this machine's ~/.aws may leak in.
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_ACCESS_KEY_ID", apptest.Root.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", apptest.Root.SecretAccessKey)

	s, err := s3blob.Open(ctx, "s3://blobs/via-url?endpoint="+b.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c := s.Config(); c.Region != "us-east-1" || !c.PathStyle || c.Prefix != "via-url/" || c.PartSize != s3blob.DefaultPartSize {
		t.Errorf("defaults: %+v", c)
	}
	if _, err := s.Put(ctx, "k", strings.NewReader("v")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.root.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("blobs"), Key: aws.String("via-url/k")}); err != nil {
		t.Errorf("the blob is not at prefix+id: %v", err)
	}

	if _, err := s3blob.Open(ctx, "s3://no-such-bucket?endpoint="+b.srv.URL); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing bucket: %v", err)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	if _, err := s3blob.Open(ctx, "s3://blobs?endpoint="+b.srv.URL); err == nil || !strings.Contains(err.Error(), "denied") {
		t.Errorf("wrong secret: %v", err)
	}
	if _, err := s3blob.Open(ctx, "s3://blobs"); err == nil || !strings.Contains(err.Error(), "region") {
		t.Errorf("AWS without a region: %v", err)
	}
}

// TestS3BlobNoSuchBucketIsNotNotFound: a bucket deleted under a running store is
// an error, never taken for missing blobs (which the s3 service would
// answer with NoSuchKey, hiding the outage).
func TestS3BlobNoSuchBucketIsNotNotFound(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	s, err := s3blob.New(s3blob.Config{Bucket: "gone", Endpoint: b.srv.URL, PathStyle: true}, b.awsConfig(nil))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Open(ctx, "x")
	if err == nil || errors.Is(err, blob.ErrNotFound) {
		t.Errorf("open in a missing bucket: %v", err)
	}
	if err := s.Delete(ctx, "x"); err == nil {
		t.Error("delete in a missing bucket succeeded")
	}
	if _, err := s.Put(ctx, "x", strings.NewReader("v")); err == nil {
		t.Error("put in a missing bucket succeeded")
	}
}

// TestS3BlobCancelledOpen: a cancelled context fails Open.
func TestS3BlobCancelledOpen(t *testing.T) {
	b := newBackend(t)
	s := b.store(t, s3blob.Config{}, nil)
	if _, err := s.Put(context.Background(), "x", strings.NewReader("v")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Open(ctx, "x"); err == nil {
		t.Error("open with a cancelled context succeeded")
	}
}

// countingClient counts requests by method and query shape.
type countingClient struct {
	base  http.RoundTripper
	count atomic.Int64
	// modify, when set, may replace a response (or its body).
	modify func(req *http.Request, resp *http.Response) (*http.Response, error)
}

func (c *countingClient) Do(req *http.Request) (*http.Response, error) {
	c.count.Add(1)
	base := c.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil || c.modify == nil {
		return resp, err
	}
	return c.modify(req, resp)
}

// TestS3BlobAbortUploadsBefore: the uploads a crashed Put left under the
// prefix are aborted once old enough; newer ones, which another node may
// still be sending, and those of other prefixes are kept.
func TestS3BlobAbortUploadsBefore(t *testing.T) {
	ctx := context.Background()
	b := newBackend(t)
	s := b.store(t, s3blob.Config{}, nil)
	prefix := s.Config().Prefix
	start := func(key string) {
		if _, err := b.root.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &b.bucket, Key: aws.String(key)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		start(prefix + "obj/" + fmt.Sprint(i))
	}
	start("elsewhere/obj")
	if n, err := s.AbortUploadsBefore(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("uploads started just now: %d aborted, %v", n, err)
	}
	if n, err := s.AbortUploadsBefore(ctx, time.Now().Add(time.Minute)); err != nil || n != 3 {
		t.Errorf("uploads under the prefix: %d aborted, %v", n, err)
	}
	out, err := b.root.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: &b.bucket})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Uploads) != 1 || aws.ToString(out.Uploads[0].Key) != "elsewhere/obj" {
		t.Errorf("left: %d uploads", len(out.Uploads))
	}
}
