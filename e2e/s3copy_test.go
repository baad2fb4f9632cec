package e2e

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/checksum"
)

// TestCopyObject covers CopyObject's metadata directive, checksums and the
// x-amz-copy-source-if-* conditions.
func TestCopyObject(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("copies")})
	must(t, err)
	const body = "the source object"
	src, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("copies"), Key: aws.String("src"), Body: strings.NewReader(body),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"colour": "blue"}, ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	must(t, err)
	source := aws.String("copies/src")
	past, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)

	t.Run("COPY keeps metadata and the checksum algorithm", func(t *testing.T) {
		out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copies"), Key: aws.String("dst"), CopySource: source})
		must(t, err)
		if aws.ToString(out.CopyObjectResult.ETag) != aws.ToString(src.ETag) {
			t.Errorf("copy ETag %s, source %s", aws.ToString(out.CopyObjectResult.ETag), aws.ToString(src.ETag))
		}
		if got := aws.ToString(out.CopyObjectResult.ChecksumSHA256); got != sumOf(checksum.SHA256, []byte(body)) {
			t.Errorf("copy result SHA256 %q", got)
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("copies"), Key: aws.String("dst")})
		must(t, err)
		if aws.ToString(head.ContentType) != "text/plain" || head.Metadata["colour"] != "blue" {
			t.Errorf("copied metadata %q %v", aws.ToString(head.ContentType), head.Metadata)
		}
	})
	t.Run("REPLACE with another checksum algorithm", func(t *testing.T) {
		out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copies"), Key: aws.String("dst2"), CopySource: source,
			MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("application/x-new"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c})
		must(t, err)
		if got := aws.ToString(out.CopyObjectResult.ChecksumCRC32C); got != sumOf(checksum.CRC32C, []byte(body)) {
			t.Errorf("copy result CRC32C %q", got)
		}
		get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("copies"), Key: aws.String("dst2"), ChecksumMode: types.ChecksumModeEnabled})
		must(t, err)
		b, _ := io.ReadAll(get.Body)
		if string(b) != body || aws.ToString(get.ContentType) != "application/x-new" || len(get.Metadata) != 0 {
			t.Errorf("replaced copy: %q %q %v", b, aws.ToString(get.ContentType), get.Metadata)
		}
	})

	conds := []struct {
		name string
		mod  func(*s3.CopyObjectInput)
		ok   bool
	}{
		{"if-match the ETag", func(in *s3.CopyObjectInput) { in.CopySourceIfMatch = src.ETag }, true},
		{"if-match another ETag", func(in *s3.CopyObjectInput) { in.CopySourceIfMatch = aws.String(`"00000000000000000000000000000000"`) }, false},
		{"if-none-match the ETag", func(in *s3.CopyObjectInput) { in.CopySourceIfNoneMatch = src.ETag }, false},
		{"if-modified-since an hour ago", func(in *s3.CopyObjectInput) { in.CopySourceIfModifiedSince = &past }, true},
		{"if-modified-since in an hour", func(in *s3.CopyObjectInput) { in.CopySourceIfModifiedSince = &future }, false},
		{"if-unmodified-since an hour ago", func(in *s3.CopyObjectInput) { in.CopySourceIfUnmodifiedSince = &past }, false},
		{"if-match wins over if-unmodified-since", func(in *s3.CopyObjectInput) {
			in.CopySourceIfMatch, in.CopySourceIfUnmodifiedSince = src.ETag, &past
		}, true},
	}
	for _, tc := range conds {
		t.Run(tc.name, func(t *testing.T) {
			in := &s3.CopyObjectInput{Bucket: aws.String("copies"), Key: aws.String("cond"), CopySource: source}
			tc.mod(in)
			_, err := c.CopyObject(ctx, in)
			if tc.ok {
				must(t, err)
				return
			}
			wantCode(t, err, "PreconditionFailed")
		})
	}
	t.Run("missing source", func(t *testing.T) {
		_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copies"), Key: aws.String("x"), CopySource: aws.String("copies/nothing")})
		wantCode(t, err, "NoSuchKey")
	})
}
