package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/blob/blobtest"
	"github.com/federa/federa/internal/blob/s3blob"
)

// s3blobPolicy is the least a blob key needs, as s3blob's doc says: object
// access under its prefix, and s3:ListBucket on the bucket so that a
// missing blob is NoSuchKey rather than AccessDenied.
const s3blobPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::objects"},
 {"Effect":"Allow","Action":["s3:PutObject","s3:GetObject","s3:DeleteObject","s3:AbortMultipartUpload"],
  "Resource":"arn:aws:s3:::objects/node-a/*"}]}`

// s3blobWorld is a federa holding the blobs of another: a bucket, and IAM
// roles whose sessions s3blob uses.
type s3blobWorld struct {
	srv  *apptest.Server
	root *s3.Client
}

func newS3BlobWorld(t *testing.T) *s3blobWorld {
	t.Helper()
	w := &s3blobWorld{srv: apptest.NewServer(t)}
	w.root = s3.NewFromConfig(w.srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := w.root.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("objects")})
	must(t, err)
	return w
}

// role creates a role the root key may assume, with policy, and returns
// credentials that assume it, refreshed as they expire: what a shared
// config profile with role_arn gives the SDK's default chain.
func (w *s3blobWorld) role(t *testing.T, name, policy string) aws.CredentialsProvider {
	t.Helper()
	ctx := context.Background()
	root := w.srv.RootConfig()
	c := iam.NewFromConfig(root)
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &name, AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + apptest.Account + `:root"},"Action":"sts:AssumeRole"}}`)})
	must(t, err)
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &name, PolicyName: aws.String("blobs"), PolicyDocument: &policy})
	must(t, err)
	return aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(root), *out.Role.Arn))
}

// store is an s3blob store on prefix with creds.
func (w *s3blobWorld) store(t *testing.T, prefix string, creds aws.CredentialsProvider) *s3blob.Store {
	t.Helper()
	// An *http.Client, which Close can rid of idle connections: one dialled
	// but never used would hold the server's shutdown for five seconds.
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	s, err := s3blob.New(s3blob.Config{Bucket: "objects", Prefix: prefix, Endpoint: w.srv.URL, PathStyle: true},
		aws.Config{Credentials: creds, HTTPClient: client})
	must(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// TestS3BlobLeastPrivilege: s3blob works with a role limited to the policy
// its documentation gives, its blobs are plain objects at prefix+id, and
// federa refuses the same key everywhere else.
func TestS3BlobLeastPrivilege(t *testing.T) {
	ctx := context.Background()
	w := newS3BlobWorld(t)
	creds := w.role(t, "federa-blobs", s3blobPolicy)
	s := w.store(t, "node-a", creds)
	must(t, s.Check(ctx))

	t.Run("Conformance", func(t *testing.T) {
		blobtest.Run(t, func(t *testing.T) blob.Store { return s })
		// Every failed Put aborted its upload.
		out, err := w.root.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("objects")})
		must(t, err)
		if len(out.Uploads) != 0 {
			t.Errorf("%d multipart uploads left behind", len(out.Uploads))
		}
	})

	t.Run("PlainObjects", func(t *testing.T) {
		want := []byte("bytes of an object, stored as a blob")
		_, err := s.Put(ctx, "ab/0123-x", bytes.NewReader(want))
		must(t, err)
		out, err := w.root.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String("node-a/ab/0123-x")})
		must(t, err)
		got, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if !bytes.Equal(got, want) {
			t.Errorf("object node-a/ab/0123-x holds %q", got)
		}
	})

	t.Run("OtherPrefixDenied", func(t *testing.T) {
		other := w.store(t, "node-b", creds)
		if _, err := other.Put(ctx, "x", strings.NewReader("v")); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
			t.Errorf("put outside the policy's prefix: %v", err)
		}
		// Refused, not "not found": the s3 service must not answer
		// NoSuchKey for an object whose bytes it may not read.
		_, _, err := other.Open(ctx, "x")
		if err == nil || errors.Is(err, blob.ErrNotFound) || !strings.Contains(err.Error(), "AccessDenied") {
			t.Errorf("open outside the policy's prefix: %v", err)
		}
	})
}

// TestS3BlobWithoutListBucket: without s3:ListBucket, federa (like S3)
// answers a missing key with AccessDenied, so s3blob cannot report
// blob.ErrNotFound; Check says so at start.
func TestS3BlobWithoutListBucket(t *testing.T) {
	ctx := context.Background()
	w := newS3BlobWorld(t)
	policy := strings.Replace(s3blobPolicy, `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::objects"},`, "", 1)
	s := w.store(t, "node-a", w.role(t, "no-list", policy))
	if err := s.Check(ctx); err == nil || !strings.Contains(err.Error(), "s3:ListBucket") {
		t.Errorf("check without ListBucket: %v", err)
	}
	if _, _, err := s.Open(ctx, "missing"); err == nil || errors.Is(err, blob.ErrNotFound) {
		t.Errorf("open of a missing blob without ListBucket: %v", err)
	}
}

// TestS3BlobWithoutAbort: a key that may not abort uploads cannot clean up
// after a failed large Put; the error says so, and the object still never
// appears.
func TestS3BlobWithoutAbort(t *testing.T) {
	ctx := context.Background()
	w := newS3BlobWorld(t)
	policy := strings.Replace(s3blobPolicy, `,"s3:AbortMultipartUpload"`, "", 1)
	s := w.store(t, "node-a", w.role(t, "no-abort", policy))
	body := io.MultiReader(io.LimitReader(zeroReader{}, 20<<20), failAfter{})
	_, err := s.Put(ctx, "big", body)
	if err == nil || !strings.Contains(err.Error(), "abort upload") {
		t.Errorf("failed put without AbortMultipartUpload: %v", err)
	}
	if _, _, err := s.Open(ctx, "big"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("open after the failed put: %v", err)
	}
	out, err := w.root.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("objects")})
	must(t, err)
	if len(out.Uploads) != 1 {
		t.Errorf("%d uploads left, want the one that could not be aborted", len(out.Uploads))
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type failAfter struct{}

func (failAfter) Read([]byte) (int, error) { return 0, errors.New("client went away") }
