package s3api_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/federa/federa/internal/access"
)

// TestSDK drives the handler with aws-sdk-go-v2, the client federa must
// satisfy byte for byte. Signatures are the edge's job; here the wrapper
// just marks every request as the root caller.
func TestSDK(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.h.ServeHTTP(w, r.WithContext(access.WithPrincipal(r.Context(), rootPrincipal)))
	}))
	defer srv.Close()
	ctx := context.Background()
	c := awss3.New(awss3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
	if _, err := c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("sdkb")}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a/1", "a/2", "b", "c d"} {
		if _, err := c.PutObject(ctx, &awss3.PutObjectInput{
			Bucket: aws.String("sdkb"), Key: aws.String(k), Body: bytes.NewReader([]byte("body-" + k)),
			Metadata: map[string]string{"kind": "test"}, ContentType: aws.String("text/plain"),
		}); err != nil {
			t.Fatalf("PutObject %s: %v", k, err)
		}
	}
	got, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("sdkb"), Key: aws.String("c d")})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if string(data) != "body-c d" || got.Metadata["kind"] != "test" || aws.ToString(got.ContentType) != "text/plain" {
		t.Errorf("GetObject = %q %v", data, got.Metadata)
	}

	var keys []string
	p := awss3.NewListObjectsV2Paginator(c, &awss3.ListObjectsV2Input{Bucket: aws.String("sdkb"), MaxKeys: aws.Int32(1), Delimiter: aws.String("/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		for _, cp := range page.CommonPrefixes {
			keys = append(keys, aws.ToString(cp.Prefix))
		}
	}
	if len(keys) != 3 || keys[0] != "a/" || keys[2] != "c d" {
		t.Errorf("listing = %q", keys)
	}

	_, err = c.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String("sdkb"), Key: aws.String("missing")})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("HeadObject missing: %v", err)
	}
	_, err = c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("sdkb"), Key: aws.String("missing")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("GetObject missing: %v", err)
	}

	if _, err := c.PutBucketCors(ctx, &awss3.PutBucketCorsInput{Bucket: aws.String("sdkb"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}}},
	}}); err != nil {
		t.Fatal(err)
	}
	cors, err := c.GetBucketCors(ctx, &awss3.GetBucketCorsInput{Bucket: aws.String("sdkb")})
	if err != nil || len(cors.CORSRules) != 1 {
		t.Fatalf("GetBucketCors = %v, %v", cors, err)
	}

	if _, err := c.CopyObject(ctx, &awss3.CopyObjectInput{Bucket: aws.String("sdkb"), Key: aws.String("copy"), CopySource: aws.String("sdkb/c d")}); err != nil {
		t.Fatal(err)
	}
	del, err := c.DeleteObjects(ctx, &awss3.DeleteObjectsInput{Bucket: aws.String("sdkb"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: aws.String("a/1")}, {Key: aws.String("a/2")}, {Key: aws.String("b")}, {Key: aws.String("c d")}, {Key: aws.String("copy")},
	}}})
	if err != nil || len(del.Deleted) != 5 {
		t.Fatalf("DeleteObjects = %v, %v", del, err)
	}
	if _, err := c.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String("sdkb")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String("sdkb")})
	if !errors.As(err, &nf) {
		t.Errorf("HeadBucket after delete: %v", err)
	}
}
