package s3

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/store"
)

// PartInput is an UploadPart: which part of which upload, and its body.
type PartInput struct {
	UploadID   string
	PartNumber int
	Body       io.Reader
	// Size is the declared length, or -1 when unknown.
	Size int64
	// ContentMD5 is the Content-MD5 header (base64), or "".
	ContentMD5 string
	// Checksum is the part's additional checksum, as for PutObject.
	Checksum ChecksumInput
}

// UploadPart stores one part's bytes in a fresh blob and records it,
// replacing an earlier part with the same number. It is authorized as
// s3:PutObject, as on AWS. The part's checksum is the upload's algorithm
// (verified against the value the request carries, if any); an upload that
// names none gets S3's default, CRC64NVME, unless the part brings its own.
func (s *Service) UploadPart(ctx context.Context, req Request, in PartInput) (UploadPart, error) {
	if in.PartNumber < 1 || in.PartNumber > MaxPartNumber {
		return UploadPart{}, ErrInvalidArgument.New("Part number must be an integer between 1 and %d, inclusive", MaxPartNumber)
	}
	if in.Size > MaxObjectSize {
		return UploadPart{}, ErrEntityTooLarge.New(msgEntityTooLarge)
	}
	if _, err := decodeContentMD5(in.ContentMD5); err != nil {
		return UploadPart{}, err
	}
	if _, err := s.bucketFor(ctx, req, "s3:PutObject", objectARN(req.Bucket, req.Key), nil); err != nil {
		return UploadPart{}, err
	}
	u, err := s.upload(ctx, req, in.UploadID)
	if err != nil {
		return UploadPart{}, err
	}
	ck := in.Checksum
	if alg := checksum.Algorithm(u.ChecksumAlgorithm); alg != "" {
		if ck.Explicit && ck.Algorithm != alg {
			return UploadPart{}, ErrInvalidRequest.New("Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s", lower(alg), lower(ck.Algorithm))
		}
		ck.Algorithm = alg
	}
	b, err := s.storeBody(ctx, in.Body, in.Size, MaxObjectSize, in.ContentMD5, ck)
	if err != nil {
		return UploadPart{}, err
	}
	return s.recordPart(ctx, req, in.UploadID, partOf(in.PartNumber, b, s.now().UTC()))
}

// partOf is the record of part n stored as b.
func partOf(n int, b storedBody, now time.Time) UploadPart {
	return UploadPart{
		PartNumber: n, BlobID: b.BlobID, Size: b.Size, ETag: b.ETag(), LastModified: now,
		ChecksumAlgorithm: b.Checksum.Algorithm, Checksum: b.Checksum.Value,
	}
}

// recordPart records p, deleting its blob if the upload is gone and the
// replaced part's blob once the new one is recorded.
func (s *Service) recordPart(ctx context.Context, req Request, uploadID string, p UploadPart) (UploadPart, error) {
	prev, err := s.st.PutUploadPart(ctx, req.Bucket, req.Key, uploadID, p)
	if err != nil {
		_ = s.bl.Delete(context.WithoutCancel(ctx), p.BlobID)
		if errors.Is(err, store.ErrNotFound) {
			return UploadPart{}, ErrNoSuchUpload.New(msgNoSuchUpload)
		}
		return UploadPart{}, awserr.Internal(err)
	}
	if prev != nil && prev.BlobID != p.BlobID {
		_ = s.bl.Delete(context.WithoutCancel(ctx), prev.BlobID)
	}
	return p, nil
}

// PartCopyInput is an UploadPartCopy: the part to write and the source
// object's bytes it copies.
type PartCopyInput struct {
	UploadID     string
	PartNumber   int
	SourceBucket string
	SourceKey    string
	// Range is x-amz-copy-source-range ("bytes=first-last"), "" for the
	// whole source.
	Range string
	// SourceIf are the x-amz-copy-source-if-* conditions on the source.
	SourceIf ReadPreconditions
}

// UploadPartCopy writes a part from a range of an existing object. The
// caller needs s3:GetObject on the source and s3:PutObject on the upload's
// key.
func (s *Service) UploadPartCopy(ctx context.Context, req Request, in PartCopyInput) (UploadPart, error) {
	if in.PartNumber < 1 || in.PartNumber > MaxPartNumber {
		return UploadPart{}, ErrInvalidArgument.New("Part number must be an integer between 1 and %d, inclusive", MaxPartNumber)
	}
	if in.SourceBucket == "" || in.SourceKey == "" {
		return UploadPart{}, ErrInvalidArgument.New("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	first, last, ranged, err := parseCopyRange(in.Range)
	if err != nil {
		return UploadPart{}, err
	}
	src := req
	src.Bucket, src.Key = in.SourceBucket, in.SourceKey
	if _, err := s.bucketFor(ctx, src, "s3:GetObject", objectARN(src.Bucket, src.Key), nil); err != nil {
		return UploadPart{}, err
	}
	extra := map[string][]string{"s3:x-amz-copy-source": {in.SourceBucket + "/" + in.SourceKey}}
	if _, err := s.bucketFor(ctx, req, "s3:PutObject", objectARN(req.Bucket, req.Key), extra); err != nil {
		return UploadPart{}, err
	}
	u, err := s.upload(ctx, req, in.UploadID)
	if err != nil {
		return UploadPart{}, err
	}
	so, rc, err := s.open(ctx, src.Bucket, src.Key)
	if err != nil {
		return UploadPart{}, err
	}
	defer rc.Close()
	if !in.SourceIf.hold(so) {
		return UploadPart{}, ErrPreconditionFailed.New(msgPreconditionFailed)
	}
	start, length := int64(0), so.Size
	if ranged {
		if last >= so.Size {
			return UploadPart{}, ErrInvalidRange.New("The requested range is not satisfiable")
		}
		start, length = first, last-first+1
	}
	if length > MaxObjectSize {
		return UploadPart{}, ErrInvalidRequest.New("The specified copy source is larger than the maximum allowable size for a copy source: %d", int64(MaxObjectSize))
	}
	if _, err := rc.Seek(start, io.SeekStart); err != nil {
		return UploadPart{}, awserr.Internal(err)
	}
	b, err := s.storeBody(ctx, io.LimitReader(rc, length), length, MaxObjectSize, "", ChecksumInput{Algorithm: checksum.Algorithm(u.ChecksumAlgorithm)})
	if ErrIncompleteBody.Is(err) {
		return UploadPart{}, awserr.Internal(errors.New("s3: copied part is shorter than the source range"))
	}
	if err != nil {
		return UploadPart{}, err
	}
	return s.recordPart(ctx, req, in.UploadID, partOf(in.PartNumber, b, s.now().UTC()))
}

// parseCopyRange parses x-amz-copy-source-range. Unlike Range, S3 accepts
// only the closed form bytes=first-last here, and refuses anything else.
func parseCopyRange(v string) (first, last int64, ranged bool, err error) {
	if v == "" {
		return 0, 0, false, nil
	}
	bad := ErrInvalidArgument.New("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
	rs, ok := strings.CutPrefix(v, "bytes=")
	if !ok {
		return 0, 0, false, bad
	}
	a, b, ok := strings.Cut(rs, "-")
	if !ok || !digits(a) || !digits(b) {
		return 0, 0, false, bad
	}
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || last < first {
		return 0, 0, false, bad
	}
	return first, last, true, nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
