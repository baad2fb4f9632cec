package s3

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/store"
)

// CompletedPart is one entry of CompleteMultipartUpload's part list.
type CompletedPart struct {
	PartNumber int
	ETag       string
	// Checksums are the part checksums the entry gives (base64), by
	// algorithm.
	Checksums map[checksum.Algorithm]string
}

// CompleteInput is a CompleteMultipartUpload request.
type CompleteInput struct {
	UploadID string
	Parts    []CompletedPart
	// Preconditions make the completion conditional (If-Match,
	// If-None-Match: *), decided atomically with it.
	Preconditions WritePreconditions
	// ChecksumType is x-amz-checksum-type, "" when absent.
	ChecksumType string
	// Checksums are the x-amz-checksum-* headers: the whole object's
	// checksum, compared with the one the parts combine to.
	Checksums map[checksum.Algorithm]string
	// ObjectSize is x-amz-mp-object-size, or -1 when absent.
	ObjectSize int64
}

// CompleteMultipartUpload makes the listed parts, in order, the object at
// req.Key. No byte is copied: the object's manifest names the parts' blobs.
// Parts the list leaves out are deleted. It is authorized as s3:PutObject.
func (s *Service) CompleteMultipartUpload(ctx context.Context, req Request, in CompleteInput) (Object, error) {
	if len(in.Parts) == 0 {
		return Object{}, ErrMalformedXML.New(MsgMalformedXML)
	}
	for i := 1; i < len(in.Parts); i++ {
		if in.Parts[i].PartNumber <= in.Parts[i-1].PartNumber {
			return Object{}, ErrInvalidPartOrder.New(msgInvalidPartOrder)
		}
	}
	cond, err := in.Preconditions.check()
	if err != nil {
		return Object{}, err
	}
	if _, err := s.bucketFor(ctx, req, "s3:PutObject", objectARN(req.Bucket, req.Key), nil); err != nil {
		return Object{}, err
	}
	now := s.now().UTC()
	o, prev, parts, err := s.st.CompleteUpload(ctx, req.Bucket, req.Key, in.UploadID, func(u Upload, parts []UploadPart, cur *Object) (Object, error) {
		if cond != nil {
			if err := cond(cur); err != nil {
				return Object{}, err
			}
		}
		o, err := assemble(u, parts, in)
		o.LastModified = now
		return o, err
	})
	if errors.Is(err, store.ErrNotFound) {
		return Object{}, ErrNoSuchUpload.New(msgNoSuchUpload)
	}
	if err != nil {
		if _, ok := awserr.As(err); ok {
			return Object{}, err
		}
		return Object{}, awserr.Internal(err)
	}
	s.releaseParts(ctx, parts, &o)
	if prev != nil {
		s.release(ctx, *prev, o)
	}
	return o, nil
}

// assemble checks the request's part list against the uploaded parts and
// builds the object: its manifest, its multipart ETag (the MD5 of the
// parts' raw MD5s, then "-" and the part count) and its checksum.
func assemble(u Upload, uploaded []UploadPart, in CompleteInput) (Object, error) {
	byNum := make(map[int]UploadPart, len(uploaded))
	for _, p := range uploaded {
		byNum[p.PartNumber] = p
	}
	// An upload that named no algorithm gets S3's default: the parts'
	// CRC64NVME values combined into a FULL_OBJECT checksum, if every part
	// has one (a part that brought another algorithm has none).
	alg, typ := checksum.Algorithm(u.ChecksumAlgorithm), u.ChecksumType
	declared := alg != ""
	if !declared {
		alg, typ = checksum.CRC64NVME, checksum.FullObject
	}
	combinable := true
	etags := md5.New()
	o := Object{
		Bucket: u.Bucket, Key: u.Key, ContentType: u.ContentType, Metadata: u.Metadata, Headers: u.Headers,
		Parts: make([]store.ObjectPart, 0, len(in.Parts)),
	}
	var sums []checksum.Part
	for i, cp := range in.Parts {
		p, ok := byNum[cp.PartNumber]
		if !ok || unquote(cp.ETag) != unquote(p.ETag) {
			return Object{}, ErrInvalidPart.New(msgInvalidPart)
		}
		if i < len(in.Parts)-1 && p.Size < MinPartSize {
			return Object{}, ErrEntityTooSmall.New(msgEntityTooSmall)
		}
		raw, err := hex.DecodeString(unquote(p.ETag))
		if err != nil {
			return Object{}, awserr.Internal(err)
		}
		etags.Write(raw)
		var sum []byte
		if declared {
			sum, err = partChecksum(u, p, cp)
		} else {
			sum, err = defaultPartChecksum(p, cp)
		}
		if err != nil {
			return Object{}, err
		}
		combinable = combinable && sum != nil
		sums = append(sums, checksum.Part{Sum: sum, Size: p.Size})
		o.Parts = append(o.Parts, store.ObjectPart{BlobID: p.BlobID, Size: p.Size, ETag: p.ETag, Checksum: p.Checksum})
		o.Size += p.Size
	}
	o.ETag = `"` + hex.EncodeToString(etags.Sum(nil)) + "-" + strconv.Itoa(len(in.Parts)) + `"`
	if in.ObjectSize >= 0 && in.ObjectSize != o.Size {
		return Object{}, ErrInvalidRequest.New("The provided 'x-amz-mp-object-size' header value %d does not match what was computed: %d", in.ObjectSize, o.Size)
	}
	if in.ChecksumType != "" && in.ChecksumType != typ {
		return Object{}, ErrInvalidRequest.New("The upload was created using the %s checksum mode. The complete request must use the same checksum mode.", typ)
	}
	if !combinable {
		if len(in.Checksums) > 0 {
			return Object{}, ErrInvalidRequest.New("The parts of this upload have no common checksum algorithm, so the complete request cannot carry a checksum.")
		}
		return o, nil
	}
	ck := &store.Checksum{Algorithm: string(alg), Type: typ}
	if typ == checksum.FullObject {
		full, _ := alg.FullObjectOf(sums)
		ck.Value = checksum.Encode(full)
	} else {
		ck.Value = alg.CompositeOf(sums)
	}
	// A whole-object checksum in the request must be the one the parts
	// combine to.
	for a, v := range in.Checksums {
		if a != alg || v != ck.Value {
			return Object{}, ErrBadDigest.New("The %s you specified did not match the calculated checksum.", lower(a))
		}
	}
	o.Checksum = ck
	return o, nil
}

// defaultPartChecksum returns the raw CRC64NVME of a part of an upload that
// named no algorithm, nil when the part has another algorithm's checksum.
// Checksums the entry gives must still match the part's.
func defaultPartChecksum(p UploadPart, cp CompletedPart) ([]byte, error) {
	for a, v := range cp.Checksums {
		if string(a) == p.ChecksumAlgorithm && v != p.Checksum {
			return nil, ErrInvalidPart.New(msgInvalidPart)
		}
	}
	if p.ChecksumAlgorithm != string(checksum.CRC64NVME) {
		return nil, nil
	}
	sum, ok := checksum.CRC64NVME.Decode(p.Checksum)
	if !ok {
		return nil, awserr.Internal(errors.New("s3: stored part checksum does not decode"))
	}
	return sum, nil
}

// partChecksum returns part p's raw checksum for the upload's algorithm,
// checking the one the request's entry gives. For a COMPOSITE upload S3
// requires every entry to carry it, since the object's checksum is only as
// good as the client's knowledge of the parts.
func partChecksum(u Upload, p UploadPart, cp CompletedPart) ([]byte, error) {
	alg := checksum.Algorithm(u.ChecksumAlgorithm)
	for a := range cp.Checksums {
		if a != alg {
			return nil, ErrInvalidRequest.New("The upload was created using a %s checksum. The complete request must use the same checksum algorithm for every part.", lower(alg))
		}
	}
	given, ok := cp.Checksums[alg]
	if !ok && u.ChecksumType == checksum.Composite {
		return nil, ErrInvalidRequest.New("The upload was created using a %s checksum. The complete request must include the checksum for each part. It was missing for part %d in the request.", lower(alg), cp.PartNumber)
	}
	if p.ChecksumAlgorithm != string(alg) {
		return nil, ErrInvalidPart.New(msgInvalidPart)
	}
	if ok && given != p.Checksum {
		return nil, ErrInvalidPart.New(msgInvalidPart)
	}
	sum, ok := alg.Decode(p.Checksum)
	if !ok {
		return nil, awserr.Internal(errors.New("s3: stored part checksum does not decode"))
	}
	return sum, nil
}

// unquote strips the quotes around an ETag: clients send part ETags with or
// without them.
func unquote(etag string) string { return strings.Trim(strings.TrimSpace(etag), `"`) }
