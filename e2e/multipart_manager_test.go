package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/federa/federa/internal/checksum"
)

func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, seed+1))
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// partsOf splits b into size-byte parts, the last one shorter.
func partsOf(b []byte, size int) [][]byte {
	var out [][]byte
	for len(b) > size {
		out = append(out, b[:size])
		b = b[size:]
	}
	return append(out, b)
}

// TestUploadManager uploads 40 MiB with the SDK's upload manager in 5 MiB
// parts, four at a time, and downloads it back with the manager's
// concurrent ranged downloader. The manager asks for CRC32 checksums by
// default, so the object carries a COMPOSITE CRC32 of its eight parts.
func TestUploadManager(t *testing.T) {
	ctx := context.Background()
	_, c := mpBucket(t, "manager")
	data := randomBytes(40*mib, 1)
	up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 * mib; u.Concurrency = 4 })
	res, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("manager"), Key: aws.String("big.bin"), Body: bytes.NewReader(data)})
	must(t, err)
	parts := partsOf(data, 5*mib)
	if len(parts) != 8 || aws.ToString(res.ETag) != mpETag(parts...) || len(res.CompletedParts) != 8 {
		t.Fatalf("upload: %d parts, ETag %s, want %s", len(res.CompletedParts), aws.ToString(res.ETag), mpETag(parts...))
	}
	var sums []checksum.Part
	for _, p := range parts {
		h := checksum.CRC32.New()
		h.Write(p)
		sums = append(sums, checksum.Part{Sum: h.Sum(nil), Size: int64(len(p))})
	}
	if want := checksum.CRC32.CompositeOf(sums); aws.ToString(res.ChecksumCRC32) != want || res.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("upload checksum %s %s, want %s COMPOSITE", aws.ToString(res.ChecksumCRC32), res.ChecksumType, want)
	}

	buf := manager.NewWriteAtBuffer(make([]byte, 0, len(data)))
	down := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = 5 * mib; d.Concurrency = 4 })
	n, err := down.Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String("manager"), Key: aws.String("big.bin")})
	must(t, err)
	if n != int64(len(data)) || sha256.Sum256(buf.Bytes()) != sha256.Sum256(data) {
		t.Fatalf("downloaded %d bytes, equal %v", n, bytes.Equal(buf.Bytes(), data))
	}

	// HEAD with checksum mode reports the composite checksum; a GET of the
	// whole object passes the SDK's own response validation (which skips
	// composite values, as S3's are not checksums of the bytes).
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("manager"), Key: aws.String("big.bin"), ChecksumMode: types.ChecksumModeEnabled})
	must(t, err)
	if aws.ToString(head.ChecksumCRC32) != aws.ToString(res.ChecksumCRC32) || head.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("HeadObject checksum %s %s", aws.ToString(head.ChecksumCRC32), head.ChecksumType)
	}
}

// TestFullObjectChecksum round-trips a CRC32 FULL_OBJECT upload: parts
// sent with CRC32, the whole object's CRC32 given at Complete and checked,
// and the object read back with checksum mode, where the SDK validates the
// CRC against the bytes it receives.
func TestFullObjectChecksum(t *testing.T) {
	ctx := context.Background()
	_, c := mpBucket(t, "fullsum")
	bkt, key := aws.String("fullsum"), aws.String("obj")
	data := randomBytes(11*mib+123, 2)
	create, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: key,
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32, ChecksumType: types.ChecksumTypeFullObject})
	must(t, err)
	if create.ChecksumAlgorithm != types.ChecksumAlgorithmCrc32 || create.ChecksumType != types.ChecksumTypeFullObject {
		t.Fatalf("CreateMultipartUpload checksum %s %s", create.ChecksumAlgorithm, create.ChecksumType)
	}
	var completed []types.CompletedPart
	for i, p := range partsOf(data, 5*mib) {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: key, UploadId: create.UploadId, PartNumber: aws.Int32(int32(i + 1)),
			Body: bytes.NewReader(p), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		must(t, err)
		if aws.ToString(out.ChecksumCRC32) != sumOf(checksum.CRC32, p) {
			t.Fatalf("part %d CRC32 %s", i+1, aws.ToString(out.ChecksumCRC32))
		}
		completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32})
	}
	whole := sumOf(checksum.CRC32, data)
	complete := func(sum string) (*s3.CompleteMultipartUploadOutput, error) {
		return c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: create.UploadId,
			ChecksumCRC32: aws.String(sum), ChecksumType: types.ChecksumTypeFullObject,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
	}
	if _, err := complete(sumOf(checksum.CRC32, []byte("not the object"))); !isCode(err, "BadDigest") {
		t.Fatalf("Complete with a wrong whole-object CRC32: %v", err)
	}
	done, err := complete(whole)
	must(t, err)
	if aws.ToString(done.ChecksumCRC32) != whole || done.ChecksumType != types.ChecksumTypeFullObject {
		t.Errorf("Complete checksum %s %s, want %s FULL_OBJECT", aws.ToString(done.ChecksumCRC32), done.ChecksumType, whole)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: key, ChecksumMode: types.ChecksumModeEnabled})
	must(t, err)
	got, err := io.ReadAll(get.Body) // the SDK fails this read if the CRC differs
	get.Body.Close()
	must(t, err)
	if !bytes.Equal(got, data) || aws.ToString(get.ChecksumCRC32) != whole {
		t.Errorf("GetObject: equal %v, CRC32 %s", bytes.Equal(got, data), aws.ToString(get.ChecksumCRC32))
	}
}
