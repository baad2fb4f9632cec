package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/checksum"
)

const mib = 1 << 20

// pattern returns n bytes that differ from part to part (seed), so a part
// served in the wrong place shows.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i%251)
	}
	return b
}

func md5Hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// mpETag is the ETag S3 gives a multipart object.
func mpETag(parts ...[]byte) string {
	var raw []byte
	for _, p := range parts {
		s := md5.Sum(p)
		raw = append(raw, s[:]...)
	}
	return fmt.Sprintf(`"%s-%d"`, md5Hex(raw), len(parts))
}

func mpBucket(t *testing.T, name string) (*apptest.Server, *s3.Client) {
	t.Helper()
	srv := apptest.NewServer(t)
	c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	must(t, err)
	return srv, c
}

// TestMultipartOperations runs every multipart operation through
// aws-sdk-go-v2: an upload of two uploaded parts and one copied from
// another object, listed, completed and read back whole, by range, by part
// number and as a copy source.
func TestMultipartOperations(t *testing.T) {
	ctx := context.Background()
	_, c := mpBucket(t, "mpops")
	bkt := aws.String("mpops")
	src := pattern(6*mib, 7)
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: bkt, Key: aws.String("source"), Body: bytes.NewReader(src)})
	must(t, err)

	create, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: aws.String("docs/big.bin"),
		ContentType: aws.String("application/x-test"), CacheControl: aws.String("max-age=60"), Metadata: map[string]string{"owner": "alice"}})
	must(t, err)
	id := create.UploadId
	if len(aws.ToString(id)) < 32 || aws.ToString(create.Key) != "docs/big.bin" {
		t.Fatalf("CreateMultipartUpload = %+v", create)
	}
	p1, p2 := pattern(5*mib, 1), pattern(5*mib+3, 2)
	p3 := src[mib : 3*mib] // copied below
	up := func(n int32, b []byte) *s3.UploadPartOutput {
		sum := md5.Sum(b)
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("docs/big.bin"), UploadId: id, PartNumber: aws.Int32(n),
			Body: bytes.NewReader(b), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))})
		must(t, err)
		if aws.ToString(out.ETag) != `"`+md5Hex(b)+`"` {
			t.Fatalf("part %d ETag %s", n, aws.ToString(out.ETag))
		}
		return out
	}
	up(1, pattern(10, 9)) // replaced by the next upload of part 1
	up(1, p1)
	up(2, p2)
	cp, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bkt, Key: aws.String("docs/big.bin"), UploadId: id, PartNumber: aws.Int32(3),
		CopySource: aws.String("mpops/source"), CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", mib, 3*mib-1))})
	must(t, err)
	if aws.ToString(cp.CopyPartResult.ETag) != `"`+md5Hex(p3)+`"` || cp.CopyPartResult.LastModified == nil {
		t.Fatalf("UploadPartCopy = %+v", cp.CopyPartResult)
	}

	// ListParts, one part a page.
	var listed []int32
	var marker *string
	for {
		page, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: aws.String("docs/big.bin"), UploadId: id, MaxParts: aws.Int32(1), PartNumberMarker: marker})
		must(t, err)
		for _, p := range page.Parts {
			listed = append(listed, aws.ToInt32(p.PartNumber))
			if aws.ToInt32(p.PartNumber) == 2 && (aws.ToInt64(p.Size) != int64(len(p2)) || aws.ToString(p.ETag) != `"`+md5Hex(p2)+`"`) {
				t.Errorf("listed part 2 = %+v", p)
			}
		}
		if !aws.ToBool(page.IsTruncated) {
			break
		}
		marker = page.NextPartNumberMarker
	}
	if fmt.Sprint(listed) != "[1 2 3]" {
		t.Errorf("ListParts pages gave %v", listed)
	}

	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: aws.String("docs/big.bin"), UploadId: id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: aws.String(md5Hex(p1))}, // unquoted: compared without quotes
			{PartNumber: aws.Int32(2), ETag: aws.String(`"` + md5Hex(p2) + `"`)},
			{PartNumber: aws.Int32(3), ETag: cp.CopyPartResult.ETag},
		}}})
	must(t, err)
	want := bytes.Join([][]byte{p1, p2, p3}, nil)
	if aws.ToString(done.ETag) != mpETag(p1, p2, p3) || aws.ToString(done.Key) != "docs/big.bin" || !strings.HasSuffix(aws.ToString(done.Location), "/mpops/docs/big.bin") {
		t.Errorf("Complete = ETag %s key %s location %s, want ETag %s", aws.ToString(done.ETag), aws.ToString(done.Key), aws.ToString(done.Location), mpETag(p1, p2, p3))
	}

	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: aws.String("docs/big.bin")})
	must(t, err)
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, want) || aws.ToString(get.ContentType) != "application/x-test" || aws.ToString(get.CacheControl) != "max-age=60" || get.Metadata["owner"] != "alice" {
		t.Fatalf("GetObject: %d bytes (equal %v), %s %s %v", len(got), bytes.Equal(got, want), aws.ToString(get.ContentType), aws.ToString(get.CacheControl), get.Metadata)
	}
	if get.PartsCount != nil {
		t.Errorf("a whole GET carried PartsCount %d", aws.ToInt32(get.PartsCount))
	}
	// A range that spans the boundary between parts 1 and 2.
	rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: aws.String("docs/big.bin"), Range: aws.String(fmt.Sprintf("bytes=%d-%d", 5*mib-4, 5*mib+3))})
	must(t, err)
	got, _ = io.ReadAll(rng.Body)
	rng.Body.Close()
	if !bytes.Equal(got, want[5*mib-4:5*mib+4]) || aws.ToString(rng.ContentRange) != fmt.Sprintf("bytes %d-%d/%d", 5*mib-4, 5*mib+3, len(want)) {
		t.Errorf("range across parts: %x, %s", got, aws.ToString(rng.ContentRange))
	}
	// By part number: HEAD and GET of part 2.
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bkt, Key: aws.String("docs/big.bin"), PartNumber: aws.Int32(2)})
	must(t, err)
	if aws.ToInt32(head.PartsCount) != 3 || aws.ToInt64(head.ContentLength) != int64(len(p2)) || aws.ToString(head.ETag) != mpETag(p1, p2, p3) {
		t.Errorf("HeadObject part 2: count %d length %d ETag %s", aws.ToInt32(head.PartsCount), aws.ToInt64(head.ContentLength), aws.ToString(head.ETag))
	}
	part, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: aws.String("docs/big.bin"), PartNumber: aws.Int32(2)})
	must(t, err)
	got, _ = io.ReadAll(part.Body)
	part.Body.Close()
	if !bytes.Equal(got, p2) || aws.ToInt32(part.PartsCount) != 3 || aws.ToString(part.ContentRange) != fmt.Sprintf("bytes %d-%d/%d", len(p1), len(p1)+len(p2)-1, len(want)) {
		t.Errorf("GetObject part 2: %d bytes, count %d, range %s", len(got), aws.ToInt32(part.PartsCount), aws.ToString(part.ContentRange))
	}
	if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: aws.String("docs/big.bin"), PartNumber: aws.Int32(4)}); !isCode(err, "InvalidPartNumber") {
		t.Errorf("part 4 of 3: %v", err)
	}
	// A single-part object has one part: itself.
	one, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: aws.String("source"), PartNumber: aws.Int32(1)})
	must(t, err)
	got, _ = io.ReadAll(one.Body)
	one.Body.Close()
	if !bytes.Equal(got, src) || one.PartsCount != nil {
		t.Errorf("part 1 of a plain object: %d bytes, count %v", len(got), one.PartsCount)
	}
	// A copy of a multipart object is one blob with an MD5 ETag.
	cpy, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: bkt, Key: aws.String("copy"), CopySource: aws.String("mpops/docs/big.bin")})
	must(t, err)
	if aws.ToString(cpy.CopyObjectResult.ETag) != `"`+md5Hex(want)+`"` {
		t.Errorf("CopyObject ETag %s", aws.ToString(cpy.CopyObjectResult.ETag))
	}
	// The upload is gone once completed.
	if _, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: aws.String("docs/big.bin"), UploadId: id}); !isCode(err, "NoSuchUpload") {
		t.Errorf("ListParts after complete: %v", err)
	}
}

// TestListMultipartUploads pages through uploads with every parameter.
func TestListMultipartUploads(t *testing.T) {
	ctx := context.Background()
	_, c := mpBucket(t, "mpl")
	bkt := aws.String("mpl")
	ids := map[string]string{}
	for _, k := range []string{"a/1", "a/2", "b", "c", "c"} {
		out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: aws.String(k)})
		must(t, err)
		ids[k] += aws.ToString(out.UploadId) + " "
	}
	list := func(in s3.ListMultipartUploadsInput) (string, *s3.ListMultipartUploadsOutput) {
		in.Bucket = bkt
		out, err := c.ListMultipartUploads(ctx, &in)
		must(t, err)
		var got []string
		for _, u := range out.Uploads {
			got = append(got, aws.ToString(u.Key))
		}
		for _, p := range out.CommonPrefixes {
			got = append(got, aws.ToString(p.Prefix)+"*")
		}
		return fmt.Sprint(got), out
	}
	tests := []struct {
		name string
		in   s3.ListMultipartUploadsInput
		want string
	}{
		{"all", s3.ListMultipartUploadsInput{}, "[a/1 a/2 b c c]"},
		{"prefix", s3.ListMultipartUploadsInput{Prefix: aws.String("a/")}, "[a/1 a/2]"},
		{"delimiter", s3.ListMultipartUploadsInput{Delimiter: aws.String("/")}, "[b c c a/*]"},
		{"key-marker", s3.ListMultipartUploadsInput{KeyMarker: aws.String("b")}, "[c c]"},
		{"upload-id-marker", s3.ListMultipartUploadsInput{KeyMarker: aws.String("c"), UploadIdMarker: aws.String(strings.Fields(ids["c"])[0])}, "[c]"},
		{"max-uploads", s3.ListMultipartUploadsInput{MaxUploads: aws.Int32(2)}, "[a/1 a/2]"},
	}
	for _, tt := range tests {
		if got, _ := list(tt.in); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	// The SDK's paginator follows NextKeyMarker/NextUploadIdMarker through
	// every upload once, each key's uploads in initiation order.
	var seen string
	p := s3.NewListMultipartUploadsPaginator(c, &s3.ListMultipartUploadsInput{Bucket: bkt, MaxUploads: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		must(t, err)
		for _, u := range page.Uploads {
			seen += aws.ToString(u.UploadId) + " "
		}
	}
	if want := ids["a/1"] + ids["a/2"] + ids["b"] + ids["c"]; seen != want {
		t.Errorf("paginated %s\nwant      %s", seen, want)
	}
	// Aborting removes the upload from the listing; a second abort and
	// any use of the id are NoSuchUpload.
	aid := aws.String(strings.Fields(ids["b"])[0])
	_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: bkt, Key: aws.String("b"), UploadId: aid})
	must(t, err)
	if got, _ := list(s3.ListMultipartUploadsInput{}); got != "[a/1 a/2 c c]" {
		t.Errorf("after abort: %s", got)
	}
	_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: bkt, Key: aws.String("b"), UploadId: aid})
	if !isCode(err, "NoSuchUpload") {
		t.Errorf("second abort: %v", err)
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("b"), UploadId: aid, PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
	if !isCode(err, "NoSuchUpload") {
		t.Errorf("part after abort: %v", err)
	}
	// Deleting the bucket discards the remaining uploads, as S3 does.
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: bkt})
	must(t, err)
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bkt})
	must(t, err)
	if got, _ := list(s3.ListMultipartUploadsInput{}); got != "[]" {
		t.Errorf("a re-created bucket lists %s", got)
	}
}

// TestMultipartErrors checks every refusal a client can meet, each with
// S3's code, and that none of them changes the upload.
func TestMultipartErrors(t *testing.T) {
	ctx := context.Background()
	_, c := mpBucket(t, "mperr")
	bkt, key := aws.String("mperr"), aws.String("k")
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: bkt, Key: key, Body: strings.NewReader("old")})
	must(t, err)
	create, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: key})
	must(t, err)
	id := create.UploadId
	big, small := pattern(5*mib, 3), []byte("small")
	for n, b := range [][]byte{big, small, small} {
		_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(int32(n + 1)), Body: bytes.NewReader(b)})
		must(t, err)
	}
	part := func(n int32, b []byte) types.CompletedPart {
		return types.CompletedPart{PartNumber: aws.Int32(n), ETag: aws.String(`"` + md5Hex(b) + `"`)}
	}
	complete := func(parts ...types.CompletedPart) error {
		_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
		return err
	}
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"InvalidPart: not uploaded", complete(part(1, big), part(9, small)), "InvalidPart"},
		{"InvalidPart: ETag differs", complete(part(1, small)), "InvalidPart"},
		{"InvalidPartOrder", complete(part(2, small), part(1, big)), "InvalidPartOrder"},
		{"EntityTooSmall", complete(part(1, big), part(2, small), part(3, small)), "EntityTooSmall"},
		{"MalformedXML: no parts", complete(), "MalformedXML"},
		{"NoSuchUpload", func() error {
			_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: aws.String("nope"),
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part(1, big)}}})
			return err
		}(), "NoSuchUpload"},
		{"PreconditionFailed: If-None-Match", func() error {
			_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: id, IfNoneMatch: aws.String("*"),
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part(1, big)}}})
			return err
		}(), "PreconditionFailed"},
		{"PreconditionFailed: If-Match", func() error {
			_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: id, IfMatch: aws.String(`"0000"`),
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part(1, big)}}})
			return err
		}(), "PreconditionFailed"},
		{"InvalidArgument: part 0", func() error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(0), Body: strings.NewReader("x")})
			return err
		}(), "InvalidArgument"},
		{"InvalidArgument: part 10001", func() error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(10001), Body: strings.NewReader("x")})
			return err
		}(), "InvalidArgument"},
		{"BadDigest", func() error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(4), Body: strings.NewReader("x"),
				ContentMD5: aws.String("1B2M2Y8AsgTpgAmY7PhCfg==")})
			return err
		}(), "BadDigest"},
		{"NoSuchUpload: another key", func() error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("other"), UploadId: id, PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
			return err
		}(), "NoSuchUpload"},
		{"InvalidRange: copy range past the end", func() error {
			_, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(5),
				CopySource: aws.String("mperr/k"), CopySourceRange: aws.String("bytes=0-3")})
			return err
		}(), "InvalidRange"},
		{"InvalidArgument: copy range form", func() error {
			_, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(5),
				CopySource: aws.String("mperr/k"), CopySourceRange: aws.String("bytes=1-")})
			return err
		}(), "InvalidArgument"},
		{"PreconditionFailed: copy source If-Match", func() error {
			_, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(5),
				CopySource: aws.String("mperr/k"), CopySourceIfMatch: aws.String(`"0000"`)})
			return err
		}(), "PreconditionFailed"},
		{"NoSuchKey: copy source", func() error {
			_, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(5), CopySource: aws.String("mperr/missing")})
			return err
		}(), "NoSuchKey"},
		{"InvalidRequest: checksum type without algorithm", func() error {
			_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: key, ChecksumType: types.ChecksumTypeComposite})
			return err
		}(), "InvalidRequest"},
		{"InvalidRequest: SHA256 full object", func() error {
			_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: key,
				ChecksumAlgorithm: types.ChecksumAlgorithmSha256, ChecksumType: types.ChecksumTypeFullObject})
			return err
		}(), "InvalidRequest"},
		{"NoSuchBucket", func() error {
			_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("nobucket"), Key: key})
			return err
		}(), "NoSuchBucket"},
	}
	for _, tt := range tests {
		if !isCode(tt.err, tt.code) {
			t.Errorf("%s: %v", tt.name, tt.err)
		}
	}
	// Nothing changed: the object is the old one and the parts are there.
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: key})
	must(t, err)
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if string(got) != "old" {
		t.Errorf("object after refusals: %q", got)
	}
	parts, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: key, UploadId: id})
	must(t, err)
	if len(parts.Parts) != 3 {
		t.Errorf("%d parts after refusals", len(parts.Parts))
	}
	// The last part may be small; If-Match on the current ETag holds.
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bkt, Key: key})
	must(t, err)
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: id, IfMatch: head.ETag,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part(1, big), part(3, small)}}})
	must(t, err)
}

// TestMultipartAuthorization gives a role s3:PutObject alone: it uploads
// and completes, but aborting, listing parts and listing uploads each need
// their own action, as on AWS.
func TestMultipartAuthorization(t *testing.T) {
	ctx := context.Background()
	srv, root := mpBucket(t, "mpauth")
	iamc := iam.NewFromConfig(srv.RootConfig())
	_, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("uploader"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + apptest.Account + `:root"},"Action":"sts:AssumeRole"}}`)})
	must(t, err)
	allow := func(name, actions, resource string) {
		_, err := iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("uploader"), PolicyName: aws.String(name), PolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":` + actions + `,"Resource":"` + resource + `"}}`)})
		must(t, err)
	}
	allow("put", `"s3:PutObject"`, "arn:aws:s3:::mpauth/*")
	out, err := sts.NewFromConfig(srv.RootConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + apptest.Account + ":role/uploader"), RoleSessionName: aws.String("tests")})
	must(t, err)
	cr := out.Credentials
	c := s3.NewFromConfig(srv.Config(credentialsProvider(aws.Credentials{AccessKeyID: *cr.AccessKeyId, SecretAccessKey: *cr.SecretAccessKey, SessionToken: *cr.SessionToken})),
		func(o *s3.Options) { o.UsePathStyle = true })
	_, err = root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("mpauth"), Key: aws.String("src"), Body: strings.NewReader("source")})
	must(t, err)

	bkt, key := aws.String("mpauth"), aws.String("k")
	create, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: key})
	must(t, err)
	id := create.UploadId
	p, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(1), Body: strings.NewReader("data")})
	must(t, err)
	denied := map[string]error{}
	_, denied["UploadPartCopy without s3:GetObject"] = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(2), CopySource: aws.String("mpauth/src")})
	_, denied["ListParts"] = c.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: key, UploadId: id})
	_, denied["ListMultipartUploads"] = c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: bkt})
	_, denied["AbortMultipartUpload"] = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: bkt, Key: key, UploadId: id})
	for op, err := range denied {
		if !isCode(err, "AccessDenied") {
			t.Errorf("%s with s3:PutObject only: %v", op, err)
		}
	}
	allow("read", `"s3:GetObject"`, "arn:aws:s3:::mpauth/src")
	allow("parts", `["s3:ListMultipartUploadParts","s3:AbortMultipartUpload"]`, "arn:aws:s3:::mpauth/*")
	allow("uploads", `"s3:ListBucketMultipartUploads"`, "arn:aws:s3:::mpauth")
	_, err = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(2), CopySource: aws.String("mpauth/src")})
	must(t, err)
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: key, UploadId: id})
	must(t, err)
	_, err = c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: bkt})
	must(t, err)
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32}}}})
	must(t, err)
	create, err = c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: key})
	must(t, err)
	_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: bkt, Key: key, UploadId: create.UploadId})
	must(t, err)
}

// TestUploadPartTrailingChecksum sends a part as an aws-chunked body with
// its CRC32 in the trailer, as SDKs do over TLS: a right value is kept with
// the part, a wrong one refused with nothing recorded.
func TestUploadPartTrailingChecksum(t *testing.T) {
	ctx := context.Background()
	srv, c := mpBucket(t, "mptrail")
	create, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mptrail"), Key: aws.String("k"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	must(t, err)
	data := pattern(100000, 5)
	send := func(n int, trailer string) *http.Response {
		var b bytes.Buffer
		for _, chunk := range [][]byte{data[:65536], data[65536:]} {
			fmt.Fprintf(&b, "%x\r\n%s\r\n", len(chunk), chunk)
		}
		fmt.Fprintf(&b, "0\r\nx-amz-checksum-crc32:%s\r\n\r\n", trailer)
		u := fmt.Sprintf("%s/mptrail/k?partNumber=%d&uploadId=%s", srv.URL, n, aws.ToString(create.UploadId))
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, &b)
		must(t, err)
		req.Header.Set("Content-Encoding", "aws-chunked")
		req.Header.Set("X-Amz-Decoded-Content-Length", fmt.Sprint(len(data)))
		req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
		creds, err := srv.RootConfig().Credentials.Retrieve(ctx)
		must(t, err)
		must(t, v4.NewSigner().SignHTTP(ctx, creds, req, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "s3", apptest.Region, time.Now()))
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		return resp
	}
	good := sumOf(checksum.CRC32, data)
	if resp := send(1, good); resp.StatusCode != 200 || resp.Header.Get("X-Amz-Checksum-Crc32") != good {
		t.Fatalf("good trailer: %d, %q", resp.StatusCode, resp.Header.Get("X-Amz-Checksum-Crc32"))
	}
	if resp := send(2, sumOf(checksum.CRC32, []byte("other"))); resp.StatusCode != 400 {
		t.Fatalf("bad trailer: %d", resp.StatusCode)
	}
	parts, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mptrail"), Key: aws.String("k"), UploadId: create.UploadId})
	must(t, err)
	if len(parts.Parts) != 1 || aws.ToString(parts.Parts[0].ChecksumCRC32) != good || parts.ChecksumAlgorithm != types.ChecksumAlgorithmCrc32 {
		t.Fatalf("ListParts = %d parts, first %+v, algorithm %s", len(parts.Parts), parts.Parts, parts.ChecksumAlgorithm)
	}
	// A part checksummed with another algorithm than the upload's is refused.
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mptrail"), Key: aws.String("k"), UploadId: create.UploadId, PartNumber: aws.Int32(3),
		Body: bytes.NewReader(data), ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if !isCode(err, "InvalidRequest") {
		t.Errorf("SHA256 part of a CRC32 upload: %v", err)
	}
}
