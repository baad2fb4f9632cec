package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
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
}

// UploadPart stores one part's bytes in a fresh blob and records it,
// replacing an earlier part with the same number. It is authorized as
// s3:PutObject, as on AWS.
func (s *Service) UploadPart(ctx context.Context, req Request, in PartInput) (UploadPart, error) {
	if in.PartNumber < 1 || in.PartNumber > MaxPartNumber {
		return UploadPart{}, ErrInvalidArgument.New("Part number must be an integer between 1 and %d, inclusive", MaxPartNumber)
	}
	if in.Size > MaxObjectSize {
		return UploadPart{}, ErrEntityTooLarge.New(msgEntityTooLarge)
	}
	var wantMD5 []byte
	if in.ContentMD5 != "" {
		d, err := base64.StdEncoding.DecodeString(in.ContentMD5)
		if err != nil || len(d) != md5.Size {
			return UploadPart{}, ErrInvalidDigest.New(msgInvalidDigest)
		}
		wantMD5 = d
	}
	if _, err := s.bucketFor(ctx, req, "s3:PutObject", objectARN(req.Bucket, req.Key), nil); err != nil {
		return UploadPart{}, err
	}
	u, err := s.upload(ctx, req, in.UploadID)
	if err != nil {
		return UploadPart{}, err
	}
	body := in.Body
	if body == nil {
		body = strings.NewReader("")
	}
	w, err := s.writePart(ctx, body, checksum.Algorithm(u.ChecksumAlgorithm))
	if err != nil {
		return UploadPart{}, err
	}
	switch {
	case in.Size >= 0 && w.size != in.Size:
		w.discard(ctx, s)
		return UploadPart{}, ErrIncompleteBody.New(msgIncompleteBody)
	case wantMD5 != nil && string(wantMD5) != string(w.md5):
		w.discard(ctx, s)
		return UploadPart{}, ErrBadDigest.New(msgBadDigest)
	}
	return s.recordPart(ctx, req, in.UploadID, w.part(in.PartNumber, u, s.now().UTC()))
}

// writtenPart is a part's bytes, written to a blob, with their digests.
type writtenPart struct {
	blobID string
	size   int64
	md5    []byte
	sum    []byte // the upload's checksum algorithm's digest, nil when none
}

func (w writtenPart) discard(ctx context.Context, s *Service) {
	_ = s.bl.Delete(context.WithoutCancel(ctx), w.blobID)
}

func (w writtenPart) part(n int, u Upload, now time.Time) UploadPart {
	p := UploadPart{PartNumber: n, BlobID: w.blobID, Size: w.size, ETag: `"` + hex.EncodeToString(w.md5) + `"`, LastModified: now}
	if w.sum != nil {
		p.ChecksumAlgorithm, p.Checksum = u.ChecksumAlgorithm, checksum.Encode(w.sum)
	}
	return p
}

// writePart streams r into a fresh blob, at most MaxObjectSize bytes,
// computing its MD5 (the part's ETag) and, when alg is set, the upload's
// checksum, which S3 keeps for every part so Complete can combine them.
func (s *Service) writePart(ctx context.Context, r io.Reader, alg checksum.Algorithm) (writtenPart, error) {
	var ck hash.Hash
	if alg != "" {
		ck = alg.New()
		r = io.TeeReader(r, ck)
	}
	id := newBlobID()
	body := &bodyReader{r: r, h: md5.New()}
	n, err := s.bl.Put(ctx, id, body)
	if err != nil {
		_ = s.bl.Delete(context.WithoutCancel(ctx), id)
		return writtenPart{}, bodyError(body.err, err)
	}
	w := writtenPart{blobID: id, size: n, md5: body.h.Sum(nil)}
	if ck != nil {
		w.sum = ck.Sum(nil)
	}
	return w, nil
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
	// SourceCheck, when not nil, decides the x-amz-copy-source-if-*
	// conditions against the source's metadata.
	SourceCheck func(Object) error
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
	if in.SourceCheck != nil {
		if err := in.SourceCheck(so); err != nil {
			return UploadPart{}, err
		}
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
	w, err := s.writePart(ctx, io.LimitReader(rc, length), checksum.Algorithm(u.ChecksumAlgorithm))
	if err != nil {
		return UploadPart{}, err
	}
	if w.size != length {
		w.discard(ctx, s)
		return UploadPart{}, awserr.Internal(errors.New("s3: copied part is shorter than the source range"))
	}
	return s.recordPart(ctx, req, in.UploadID, w.part(in.PartNumber, u, s.now().UTC()))
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
