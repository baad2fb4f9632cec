package s3

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/store"
)

// Multipart upload limits, as S3 documents them ("Amazon S3 multipart
// upload limits" in the user guide).
const (
	// MaxPartNumber is the highest part number.
	MaxPartNumber = 10000
	// MinPartSize is the least size of every part but the last (5 MiB).
	MinPartSize = 5 << 20
	// MaxParts is the most parts ListParts returns, and its default.
	MaxParts = 1000
	// MaxUploads is the most uploads ListMultipartUploads returns, and its
	// default.
	MaxUploads = 1000
)

type (
	// Upload is a multipart upload in progress.
	Upload = store.Upload
	// UploadPart is one uploaded part.
	UploadPart = store.UploadPart
)

// CreateUploadInput is what CreateMultipartUpload records for the object the
// upload will become.
type CreateUploadInput struct {
	ContentType string
	Metadata    map[string]string
	Headers     map[string]string
	// ChecksumAlgorithm and ChecksumType are x-amz-checksum-algorithm and
	// x-amz-checksum-type, "" when absent.
	ChecksumAlgorithm string
	ChecksumType      string
}

// CreateMultipartUpload starts an upload to req.Key. It is authorized as
// s3:PutObject, as on AWS.
func (s *Service) CreateMultipartUpload(ctx context.Context, req Request, in CreateUploadInput) (Upload, error) {
	if err := checkKey(req.Key); err != nil {
		return Upload{}, err
	}
	if err := checkMetadata(in.Metadata); err != nil {
		return Upload{}, err
	}
	alg, typ, err := uploadChecksum(in.ChecksumAlgorithm, in.ChecksumType)
	if err != nil {
		return Upload{}, err
	}
	if _, err := s.bucketFor(ctx, req, "s3:PutObject", objectARN(req.Bucket, req.Key), nil); err != nil {
		return Upload{}, err
	}
	ct := in.ContentType
	if ct == "" {
		ct = DefaultContentType
	}
	now := s.now().UTC()
	u := Upload{
		Bucket: req.Bucket, Key: req.Key, UploadID: newUploadID(now.UnixNano()), Initiated: now,
		ContentType: ct, Metadata: in.Metadata, Headers: in.Headers,
		ChecksumAlgorithm: string(alg), ChecksumType: typ,
	}
	switch err := s.st.CreateUpload(ctx, u); {
	case errors.Is(err, store.ErrNotFound):
		return Upload{}, ErrNoSuchBucket.New(msgNoSuchBucket)
	case err != nil:
		return Upload{}, awserr.Internal(err)
	}
	return u, nil
}

// uploadChecksum validates x-amz-checksum-algorithm and x-amz-checksum-type
// and fills in S3's default type: FULL_OBJECT for CRC64NVME, which has no
// composite form, COMPOSITE for the others. SHA checksums cannot be
// combined into a full-object value.
func uploadChecksum(algName, typ string) (checksum.Algorithm, string, error) {
	if algName == "" {
		if typ != "" {
			return "", "", ErrInvalidRequest.New("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
		}
		return "", "", nil
	}
	alg, ok := checksum.Parse(algName)
	if !ok {
		return "", "", ErrInvalidRequest.New("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
	}
	switch typ {
	case "":
		if alg == checksum.CRC64NVME {
			return alg, checksum.FullObject, nil
		}
		return alg, checksum.Composite, nil
	case checksum.FullObject:
		if !alg.IsCRC() {
			return "", "", ErrInvalidRequest.New("The FULL_OBJECT checksum type cannot be used with the %s checksum algorithm.", lower(alg))
		}
	case checksum.Composite:
		if alg == checksum.CRC64NVME {
			return "", "", ErrInvalidRequest.New("The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.")
		}
	default:
		return "", "", ErrInvalidRequest.New("Value for x-amz-checksum-type header is invalid.")
	}
	return alg, typ, nil
}

// lower is how S3 names an algorithm in its messages ("crc32").
func lower(a checksum.Algorithm) string { return a.Header()[len("x-amz-checksum-"):] }

// newUploadID returns an upload id: 16 hex digits of the initiation time,
// so that ids of one key sort in initiation order as ListMultipartUploads
// requires, then 192 random bits, so that ids cannot be guessed.
func newUploadID(nanos int64) string {
	var b [32]byte
	binary.BigEndian.PutUint64(b[:8], uint64(nanos))
	_, _ = rand.Read(b[8:])
	return hex.EncodeToString(b[:])
}

// upload loads the upload req.Key's uploadID names, or NoSuchUpload.
func (s *Service) upload(ctx context.Context, req Request, uploadID string) (Upload, error) {
	u, err := s.st.GetUpload(ctx, req.Bucket, req.Key, uploadID)
	if errors.Is(err, store.ErrNotFound) {
		return Upload{}, ErrNoSuchUpload.New(msgNoSuchUpload)
	}
	if err != nil {
		return Upload{}, awserr.Internal(err)
	}
	return u, nil
}

// AbortMultipartUpload discards an upload and deletes its parts' bytes.
func (s *Service) AbortMultipartUpload(ctx context.Context, req Request, uploadID string) error {
	if _, err := s.bucketFor(ctx, req, "s3:AbortMultipartUpload", objectARN(req.Bucket, req.Key), nil); err != nil {
		return err
	}
	parts, err := s.st.AbortUpload(ctx, req.Bucket, req.Key, uploadID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchUpload.New(msgNoSuchUpload)
	}
	if err != nil {
		return awserr.Internal(err)
	}
	s.releaseParts(ctx, parts, nil)
	return nil
}

// releaseParts deletes the blobs of parts that keep does not use. It runs
// after the metadata change is durable: a crash in between leaks blobs but
// never loses bytes an object needs.
func (s *Service) releaseParts(ctx context.Context, parts []UploadPart, keep *Object) {
	used := map[string]bool{}
	if keep != nil {
		for _, id := range keep.BlobIDs() {
			used[id] = true
		}
	}
	for _, p := range parts {
		if !used[p.BlobID] {
			_ = s.bl.Delete(context.WithoutCancel(ctx), p.BlobID)
		}
	}
}

// deleteBucket deletes an empty bucket's record. On S3 uploads in progress
// do not keep a bucket alive: deleting it discards them. So once the bucket
// holds no objects its uploads are aborted, then the record is deleted; an
// upload started in between makes the store refuse, and the round repeats.
func (s *Service) deleteBucket(ctx context.Context, bucket string) error {
	for range 3 {
		objs, err := s.st.ListObjects(ctx, bucket, "", "", 1)
		if err != nil {
			return err
		}
		if len(objs) > 0 {
			return store.ErrConflict
		}
		if err := s.abortAll(ctx, bucket); err != nil {
			return err
		}
		if err := s.st.DeleteBucket(ctx, bucket); !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return store.ErrConflict
}

// abortAll aborts every upload in bucket.
func (s *Service) abortAll(ctx context.Context, bucket string) error {
	for {
		us, err := s.st.ListUploads(ctx, bucket, "", "", "", MaxUploads)
		if err != nil || len(us) == 0 {
			return err
		}
		for _, u := range us {
			parts, err := s.st.AbortUpload(ctx, bucket, u.Key, u.UploadID)
			if errors.Is(err, store.ErrNotFound) {
				continue // completed or aborted meanwhile
			}
			if err != nil {
				return err
			}
			s.releaseParts(ctx, parts, nil)
		}
	}
}

// ParsePartNumber parses a partNumber parameter: an integer in
// [1, MaxPartNumber].
func ParsePartNumber(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxPartNumber {
		return 0, ErrInvalidArgument.New("Part number must be an integer between 1 and %d, inclusive", MaxPartNumber)
	}
	return n, nil
}
