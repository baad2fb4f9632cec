package e2e

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// maxServerRSS bounds the server's peak resident memory while it streams a
// 5 GiB object in and out: a server that buffered any sizeable part of the
// body would pass it many times over.
const maxServerRSS = 200 << 20

// TestFiveGiBObjectMemoryStaysFlat uploads a 5 GiB object (the largest single
// PUT S3 allows) to a server process in one streamed PUT, downloads it again,
// and checks its size and MD5 and that the server's peak RSS stayed under
// maxServerRSS throughout.
func TestFiveGiBObjectMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 5 GiB through the server (about a minute); skipped with -short")
	}
	const size = 5 << 30
	ctx := context.Background()
	p := newFederaProc(t, buildFedera(t))
	p.start()
	p.createBucket("big")
	idle, err := p.peakRSS()
	if err != nil {
		t.Fatal(err)
	}
	// The body is generated as it is sent and is not seekable, so the SDK
	// cannot buffer or pre-hash it: it must be sent as UNSIGNED-PAYLOAD with
	// no computed checksum, as tools that stream uploads do.
	c := p.s3Client(nil, func(o *s3.Options) {
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
	})
	sent := md5.New()
	body := io.TeeReader(io.LimitReader(mrand.NewChaCha8([32]byte{5}), size), sent)
	start := time.Now()
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("five-gib.bin"),
		Body: io.NopCloser(body), ContentLength: aws.Int64(size)})
	if err != nil {
		t.Fatalf("PUT 5 GiB: %v\n%s", err, tail(p.log(), 2000))
	}
	putTime := time.Since(start)
	want := hex.EncodeToString(sent.Sum(nil))
	if got := aws.ToString(put.ETag); got != `"`+want+`"` {
		t.Errorf("PUT ETag %s, want %q", got, want)
	}
	afterPut, _ := p.peakRSS()

	start = time.Now()
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("five-gib.bin")})
	if err != nil {
		t.Fatalf("GET 5 GiB: %v", err)
	}
	got := md5.New()
	n, err := io.Copy(got, get.Body)
	get.Body.Close()
	if err != nil {
		t.Fatalf("reading the 5 GiB body after %d bytes: %v", n, err)
	}
	getTime := time.Since(start)
	if n != size || hex.EncodeToString(got.Sum(nil)) != want {
		t.Errorf("GET returned %d bytes with MD5 %x; want %d bytes with MD5 %s", n, got.Sum(nil), int64(size), want)
	}
	peak, err := p.peakRSS()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("server peak RSS: %d MiB idle, %d MiB after the PUT, %d MiB after the GET; PUT %.1fs (%.0f MB/s), GET %.1fs (%.0f MB/s)",
		idle>>20, afterPut>>20, peak>>20, putTime.Seconds(), size/1e6/putTime.Seconds(), getTime.Seconds(), size/1e6/getTime.Seconds())
	if peak > maxServerRSS {
		t.Errorf("server peak RSS %d MiB, over the %d MiB bound", peak>>20, maxServerRSS>>20)
	}
}
