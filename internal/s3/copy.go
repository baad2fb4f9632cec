package s3

import (
	"context"
	"errors"
	"maps"

	"github.com/federa/federa/internal/checksum"

	"github.com/federa/federa/internal/awserr"
)

// CopyInput is a CopyObject's source and, with Replace, the metadata that
// replaces the source's.
type CopyInput struct {
	SourceBucket string
	SourceKey    string
	// Replace is the REPLACE metadata directive; the default, COPY, keeps
	// the source's content type, metadata and headers.
	Replace     bool
	ContentType string
	Metadata    map[string]string
	Headers     map[string]string
	// ChecksumAlgorithm is x-amz-checksum-algorithm; "" keeps the source's
	// algorithm when its checksum covers the whole object, else CRC64NVME.
	ChecksumAlgorithm checksum.Algorithm
	// SourceIf are the x-amz-copy-source-if-* conditions on the source.
	SourceIf ReadPreconditions
}

// CopyObject copies SourceBucket/SourceKey to req.Bucket/req.Key. The caller
// needs s3:GetObject on the source and s3:PutObject on the destination.
func (s *Service) CopyObject(ctx context.Context, req Request, in CopyInput) (Object, error) {
	if err := checkKey(req.Key); err != nil {
		return Object{}, err
	}
	if in.SourceBucket == "" || in.SourceKey == "" {
		return Object{}, ErrInvalidArgument.New("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	if in.Replace {
		if err := checkMetadata(in.Metadata); err != nil {
			return Object{}, err
		}
	} else if in.SourceBucket == req.Bucket && in.SourceKey == req.Key {
		return Object{}, ErrInvalidRequest.New("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	src := req
	src.Bucket, src.Key = in.SourceBucket, in.SourceKey
	if _, err := s.bucketFor(ctx, src, "s3:GetObject", objectARN(src.Bucket, src.Key), nil); err != nil {
		return Object{}, err
	}
	extra := map[string][]string{"s3:x-amz-copy-source": {in.SourceBucket + "/" + in.SourceKey}}
	if in.Replace {
		extra["s3:x-amz-metadata-directive"] = []string{"REPLACE"}
	} else {
		extra["s3:x-amz-metadata-directive"] = []string{"COPY"}
	}
	if _, err := s.bucketFor(ctx, req, "s3:PutObject", objectARN(req.Bucket, req.Key), extra); err != nil {
		return Object{}, err
	}

	so, rc, err := s.open(ctx, src.Bucket, src.Key)
	if err != nil {
		return Object{}, err
	}
	defer rc.Close()
	if so.Size > MaxObjectSize {
		// Reachable since multipart objects may be larger than one PUT.
		return Object{}, ErrInvalidRequest.New("The specified copy source is larger than the maximum allowable size for a copy source: %d", int64(MaxObjectSize))
	}
	if !in.SourceIf.hold(so) {
		return Object{}, ErrPreconditionFailed.New(msgPreconditionFailed)
	}
	ck := ChecksumInput{Algorithm: in.ChecksumAlgorithm}
	if ck.Algorithm == "" && so.Checksum != nil && so.Checksum.Type == checksum.FullObject {
		ck.Algorithm, _ = checksum.Parse(so.Checksum.Algorithm)
	}
	b, err := s.storeBody(ctx, rc, so.Size, MaxObjectSize, "", ck)
	if err != nil {
		if e, ok := awserr.As(err); ok && e.Code == ErrIncompleteBody.Code {
			return Object{}, awserr.Internal(errors.New("s3: copied blob size differs from the source's metadata"))
		}
		return Object{}, err
	}
	sum := b.Checksum
	o := Object{
		Bucket:       req.Bucket,
		Key:          req.Key,
		BlobID:       b.BlobID,
		Size:         b.Size,
		ETag:         b.ETag(), // a copy is one part: its ETag is its MD5
		Checksum:     &sum,
		ContentType:  so.ContentType,
		LastModified: s.now().UTC(),
		Metadata:     maps.Clone(so.Metadata),
		Headers:      maps.Clone(so.Headers),
	}
	if in.Replace {
		o.ContentType = in.ContentType
		if o.ContentType == "" {
			o.ContentType = DefaultContentType
		}
		o.Metadata, o.Headers = in.Metadata, in.Headers
	}
	return s.commit(ctx, o, nil)
}
