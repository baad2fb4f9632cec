package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/checksum"
)

func sumOf(alg checksum.Algorithm, b []byte) string {
	h := alg.New()
	h.Write(b)
	return checksum.Encode(h.Sum(nil))
}

func checksumOf(out *s3.GetObjectOutput, alg checksum.Algorithm) string {
	switch alg {
	case checksum.CRC32:
		return aws.ToString(out.ChecksumCRC32)
	case checksum.CRC32C:
		return aws.ToString(out.ChecksumCRC32C)
	case checksum.CRC64NVME:
		return aws.ToString(out.ChecksumCRC64NVME)
	case checksum.SHA1:
		return aws.ToString(out.ChecksumSHA1)
	}
	return aws.ToString(out.ChecksumSHA256)
}

// TestPutChecksums uploads with every additional checksum the SDK computes,
// reads each back with checksum mode on (the SDK validates the response
// itself) and refuses wrong or malformed values.
func TestPutChecksums(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sums")})
	must(t, err)
	body := bytes.Repeat([]byte("federa checksums\n"), 4096)

	for _, alg := range checksum.Algorithms {
		t.Run(string(alg), func(t *testing.T) {
			key := "alg/" + string(alg)
			put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String(key),
				Body: bytes.NewReader(body), ChecksumAlgorithm: types.ChecksumAlgorithm(alg)})
			must(t, err)
			if put.ChecksumType != types.ChecksumTypeFullObject {
				t.Errorf("PutObject checksum type %q", put.ChecksumType)
			}
			get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
			must(t, err)
			got, err := io.ReadAll(get.Body)
			must(t, err)
			if !bytes.Equal(got, body) {
				t.Fatal("body differs")
			}
			if want := sumOf(alg, body); checksumOf(get, alg) != want {
				t.Errorf("GetObject %s = %q, want %q", alg, checksumOf(get, alg), want)
			}
			// A range has no checksum of its own: none is sent, so the
			// SDK's validation does not fail it.
			rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), Range: aws.String("bytes=0-9"), ChecksumMode: types.ChecksumModeEnabled})
			must(t, err)
			if checksumOf(rng, alg) != "" {
				t.Errorf("a range carried checksum %q", checksumOf(rng, alg))
			}
			rng.Body.Close()
		})
	}

	t.Run("listed with its algorithm", func(t *testing.T) {
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("sums"), Prefix: aws.String("alg/")})
		must(t, err)
		if len(out.Contents) != len(checksum.Algorithms) {
			t.Fatalf("%d objects listed", len(out.Contents))
		}
		for _, o := range out.Contents {
			if len(o.ChecksumAlgorithm) != 1 || "alg/"+string(o.ChecksumAlgorithm[0]) != aws.ToString(o.Key) || o.ChecksumType != types.ChecksumTypeFullObject {
				t.Errorf("%s listed with %v %q", aws.ToString(o.Key), o.ChecksumAlgorithm, o.ChecksumType)
			}
		}
	})

	t.Run("default CRC64NVME", func(t *testing.T) {
		plain := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) {
			o.UsePathStyle = true
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		})
		_, err := plain.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("plain"), Body: bytes.NewReader(body)})
		must(t, err)
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("plain"), ChecksumMode: types.ChecksumModeEnabled})
		must(t, err)
		if got, want := aws.ToString(head.ChecksumCRC64NVME), sumOf(checksum.CRC64NVME, body); got != want {
			t.Errorf("HeadObject CRC64NVME %q, want %q", got, want)
		}
	})

	refusals := []struct {
		name string
		in   s3.PutObjectInput
		code string
	}{
		{"wrong CRC32", s3.PutObjectInput{ChecksumCRC32: aws.String("AAAAAA==")}, "BadDigest"},
		{"wrong SHA256", s3.PutObjectInput{ChecksumSHA256: aws.String(sumOf(checksum.SHA256, []byte("other")))}, "BadDigest"},
		{"malformed CRC32C", s3.PutObjectInput{ChecksumCRC32C: aws.String("not base64!")}, "InvalidRequest"},
		{"SHA1 of the wrong length", s3.PutObjectInput{ChecksumSHA1: aws.String("AAAAAA==")}, "InvalidRequest"},
		{"wrong Content-MD5", s3.PutObjectInput{ContentMD5: aws.String("1B2M2Y8AsgTpgAmY7PhCfg==")}, "BadDigest"},
		{"malformed Content-MD5", s3.PutObjectInput{ContentMD5: aws.String("abc")}, "InvalidDigest"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Bucket, in.Key, in.Body = aws.String("sums"), aws.String("refused"), bytes.NewReader(body)
			_, err := c.PutObject(ctx, &in)
			wantCode(t, err, tc.code)
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("refused")})
			if err == nil {
				t.Fatal("a refused upload left an object")
			}
		})
	}
}

// TestTrailingChecksum sends an aws-chunked body with its CRC32C in the
// trailer, as SDKs do over TLS, signed by the SDK's own signer.
func TestTrailingChecksum(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("trail")})
	must(t, err)
	data := bytes.Repeat([]byte("0123456789abcdef"), 5000) // 80,000 bytes: two chunks

	put := func(key, trailerValue string) (*http.Response, error) {
		var b strings.Builder
		for _, chunk := range [][]byte{data[:65536], data[65536:]} {
			fmt.Fprintf(&b, "%x\r\n%s\r\n", len(chunk), chunk)
		}
		fmt.Fprintf(&b, "0\r\nx-amz-checksum-crc32c:%s\r\n\r\n", trailerValue)
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, srv.URL+"/trail/"+key, strings.NewReader(b.String()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Encoding", "aws-chunked")
		req.Header.Set("X-Amz-Decoded-Content-Length", fmt.Sprint(len(data)))
		req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32c")
		req.Header.Set("X-Amz-Sdk-Checksum-Algorithm", "CRC32C")
		req.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
		creds, err := srv.RootConfig().Credentials.Retrieve(ctx)
		if err != nil {
			return nil, err
		}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "s3", apptest.Region, time.Now()); err != nil {
			return nil, err
		}
		return http.DefaultClient.Do(req)
	}
	resp, err := put("good", sumOf(checksum.CRC32C, data))
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Amz-Checksum-Crc32c") != sumOf(checksum.CRC32C, data) {
		t.Fatalf("good trailer: %d, checksum %q", resp.StatusCode, resp.Header.Get("X-Amz-Checksum-Crc32c"))
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("trail"), Key: aws.String("good"), ChecksumMode: types.ChecksumModeEnabled})
	must(t, err)
	got, _ := io.ReadAll(get.Body)
	if !bytes.Equal(got, data) || aws.ToString(get.ChecksumCRC32C) != sumOf(checksum.CRC32C, data) {
		t.Fatalf("read back %d bytes, checksum %q", len(got), aws.ToString(get.ChecksumCRC32C))
	}

	resp, err = put("bad", sumOf(checksum.CRC32C, []byte("something else")))
	must(t, err)
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !bytes.Contains(msg, []byte("<Code>BadDigest</Code>")) {
		t.Fatalf("bad trailer: %d %s", resp.StatusCode, msg)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("trail"), Key: aws.String("bad")}); err == nil {
		t.Fatal("an upload with a wrong trailing checksum left an object")
	}
}

// TestConditionalWrites covers If-None-Match: * and If-Match on PutObject,
// including many writers racing to create one key: exactly one wins.
func TestConditionalWrites(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("cond")})
	must(t, err)
	put := func(key, body string, mod func(*s3.PutObjectInput)) (*s3.PutObjectOutput, error) {
		in := &s3.PutObjectInput{Bucket: aws.String("cond"), Key: aws.String(key), Body: strings.NewReader(body)}
		mod(in)
		return c.PutObject(ctx, in)
	}
	read := func(key string) string {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("cond"), Key: aws.String(key)})
		must(t, err)
		defer out.Body.Close()
		b, _ := io.ReadAll(out.Body)
		return string(b)
	}
	first, err := put("k", "v1", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") })
	must(t, err)
	_, err = put("k", "v2", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") })
	wantCode(t, err, "PreconditionFailed")
	_, err = put("k", "v2", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(`"0123456789abcdef0123456789abcdef"`) })
	wantCode(t, err, "PreconditionFailed")
	_, err = put("missing", "v", func(in *s3.PutObjectInput) { in.IfMatch = first.ETag })
	wantCode(t, err, "NoSuchKey")
	if got := read("k"); got != "v1" {
		t.Fatalf("refused writes changed the object to %q", got)
	}
	_, err = put("k", "v3", func(in *s3.PutObjectInput) { in.IfMatch = first.ETag })
	must(t, err)
	if got := read("k"); got != "v3" {
		t.Fatalf("If-Match write: object is %q", got)
	}

	const writers = 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []string
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf("writer %d", i)
			if _, err := put("race", body, func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") }); err == nil {
				mu.Lock()
				won = append(won, body)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(won) != 1 {
		t.Fatalf("%d writers created the key, want exactly 1", len(won))
	}
	if got := read("race"); got != won[0] {
		t.Fatalf("object is %q, the winner wrote %q", got, won[0])
	}
}
