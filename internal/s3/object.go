package s3

import (
	"context"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/store"
)

const (
	// MaxKeyLength is S3's limit on a key's UTF-8 length.
	MaxKeyLength = 1024
	// MaxObjectSize is S3's limit for a single PUT (5 GiB).
	MaxObjectSize = 5 << 30
	// maxMetadataSize is S3's limit on user metadata (names plus values).
	maxMetadataSize = 2 << 10
	// DefaultContentType is what S3 stores when the client sends none.
	DefaultContentType = "binary/octet-stream"
)

// PutInput is an upload: its body and the metadata stored with it.
type PutInput struct {
	Body io.Reader
	// Size is the declared length, or -1 when unknown (chunked transfer).
	Size int64
	// ContentMD5 is the Content-MD5 header (base64), or "".
	ContentMD5  string
	ContentType string
	// Metadata is user metadata: lower-case names without "x-amz-meta-".
	Metadata map[string]string
	// Headers are the stored content headers (Cache-Control, Expires, …).
	Headers map[string]string
	// Checksum is the additional checksum to compute and verify.
	Checksum ChecksumInput
	// Preconditions make the write conditional (If-Match, If-None-Match).
	Preconditions WritePreconditions
	// Tags are the object's tags (x-amz-tagging), nil for none; they need
	// s3:PutObjectTagging as well as s3:PutObject.
	Tags map[string]string
}

func checkKey(key string) error {
	if len(key) > MaxKeyLength {
		return ErrKeyTooLong.New(msgKeyTooLong)
	}
	if key == "" || !utf8.ValidString(key) || strings.IndexByte(key, 0) >= 0 {
		return ErrInvalidArgument.New("Object key must be non-empty valid UTF-8 without NUL characters")
	}
	return nil
}

// checkListText refuses listing parameters no key could match or the store
// could hold: invalid UTF-8, or NUL, which XML cannot carry either.
func checkListText(name, v string) error {
	if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
		return ErrInvalidArgument.New("%s must be valid UTF-8 without NUL characters", name)
	}
	return nil
}

func checkMetadata(md map[string]string) error {
	n := 0
	for k, v := range md {
		n += len(k) + len(v)
	}
	if n > maxMetadataSize {
		return ErrMetadataTooLarge.New(msgMetadataTooLarge)
	}
	return nil
}

// PutObject stores an object. The body goes to a fresh blob first; only when
// it is complete and matches Content-MD5 and the checksum, and the
// preconditions still hold, is the metadata switched to it, and then the
// replaced version's blob is released.
func (s *Service) PutObject(ctx context.Context, req Request, in PutInput) (Object, error) {
	if err := checkKey(req.Key); err != nil {
		return Object{}, err
	}
	if err := checkMetadata(in.Metadata); err != nil {
		return Object{}, err
	}
	if err := checkTagMap(in.Tags); err != nil {
		return Object{}, err
	}
	if in.Size > MaxObjectSize {
		return Object{}, ErrEntityTooLarge.New(msgEntityTooLarge)
	}
	if _, err := decodeContentMD5(in.ContentMD5); err != nil {
		return Object{}, err
	}
	cond, err := in.Preconditions.check()
	if err != nil {
		return Object{}, err
	}
	if _, err := s.authorizeWrite(ctx, req, in.Tags, nil); err != nil {
		return Object{}, err
	}
	if cond != nil {
		// Fail early, before the body is read; the decisive check runs
		// again atomically with the write.
		if err := s.precheck(ctx, req, cond); err != nil {
			return Object{}, err
		}
	}
	b, err := s.storeBody(ctx, in.Body, in.Size, MaxObjectSize, in.ContentMD5, in.Checksum)
	if err != nil {
		return Object{}, err
	}
	ct := in.ContentType
	if ct == "" {
		ct = DefaultContentType
	}
	sum := b.Checksum
	o := Object{
		Bucket:       req.Bucket,
		Key:          req.Key,
		BlobID:       b.BlobID,
		Size:         b.Size,
		ETag:         b.ETag(),
		ContentType:  ct,
		LastModified: s.now().UTC(),
		Metadata:     in.Metadata,
		Headers:      in.Headers,
		Checksum:     &sum,
		Tags:         in.Tags,
	}
	return s.commit(ctx, o, cond)
}

// bodyError turns a failed upload into the error the client is sent: its own
// body's failure when that is what broke, else the blob store's.
func bodyError(bodyErr, putErr error) error {
	switch {
	case errors.Is(bodyErr, errTooLarge):
		return ErrEntityTooLarge.New(msgEntityTooLarge)
	case errors.Is(bodyErr, io.ErrUnexpectedEOF):
		return ErrIncompleteBody.Wrap(bodyErr, msgIncompleteBody)
	case bodyErr != nil:
		// Signature checks on streamed bodies fail as reads; returning the
		// error as it is lets the wire adapter map it to S3's code.
		return bodyErr
	}
	return awserr.Internal(putErr)
}

// commit points the metadata at o's blob and releases the replaced blob. If
// the metadata write fails the new blob is deleted, so nothing half-written
// stays behind.
func (s *Service) commit(ctx context.Context, o Object, check func(cur *Object) error) (Object, error) {
	prev, err := s.st.PutObject(ctx, o, check)
	if err != nil {
		_ = s.bl.Delete(context.WithoutCancel(ctx), o.BlobID)
		if e, ok := awserr.As(err); ok {
			return Object{}, e
		}
		if errors.Is(err, store.ErrNotFound) {
			return Object{}, ErrNoSuchBucket.New(msgNoSuchBucket)
		}
		return Object{}, awserr.Internal(err)
	}
	if prev != nil {
		s.release(ctx, *prev, o)
	}
	return o, nil
}

// HeadObject returns an object's metadata; it is authorized as s3:GetObject,
// with the object's tags as s3:ExistingObjectTag/<key>.
func (s *Service) HeadObject(ctx context.Context, req Request) (Object, error) {
	return s.existingObject(ctx, req, "s3:GetObject", nil)
}

func (s *Service) object(ctx context.Context, bucket, key string) (Object, error) {
	o, err := s.st.GetObject(ctx, bucket, key)
	if errors.Is(err, store.ErrNotFound) {
		return Object{}, ErrNoSuchKey.New(msgNoSuchKey)
	}
	if err != nil {
		return Object{}, awserr.Internal(err)
	}
	return o, nil
}

// GetObject returns an object's metadata and its bytes; the caller closes
// the reader. The object is opened before the caller is authorized, because
// s3:ExistingObjectTag/<key> needs the tags of the very version served; a
// refused caller gets nothing of it.
func (s *Service) GetObject(ctx context.Context, req Request) (Object, io.ReadSeekCloser, error) {
	res := objectARN(req.Bucket, req.Key)
	b, err := s.loadBucket(ctx, req, "s3:GetObject", res, nil)
	if err != nil {
		return Object{}, nil, err
	}
	o, rc, err := s.open(ctx, req.Bucket, req.Key)
	if err != nil {
		if aerr := s.authorizeIn(ctx, req, b, "s3:GetObject", res, nil); aerr != nil {
			return Object{}, nil, aerr
		}
		return Object{}, nil, s.missing(ctx, req, b, err)
	}
	if err := s.authorizeIn(ctx, req, b, "s3:GetObject", res, existingTagKeys(o.Tags, nil)); err != nil {
		rc.Close()
		return Object{}, nil, err
	}
	return o, rc, nil
}

// missing answers a caller allowed to read a key that does not exist. S3
// says NoSuchKey only to callers who may list the bucket (s3:ListBucket),
// who could learn it from a listing anyway; anyone else gets AccessDenied,
// so keys cannot be probed for existence.
func (s *Service) missing(ctx context.Context, req Request, b Bucket, err error) error {
	if !ErrNoSuchKey.Is(err) {
		return err
	}
	if aerr := s.authorizeIn(ctx, req, b, "s3:ListBucket", bucketARN(req.Bucket), nil); aerr != nil {
		return aerr
	}
	return err
}

// open reads the metadata and opens its blob (or its parts' blobs, one by
// one as they are read). A concurrent overwrite may delete the blob between
// the two steps; re-reading the metadata then finds the new version.
func (s *Service) open(ctx context.Context, bucket, key string) (Object, io.ReadSeekCloser, error) {
	for range 3 {
		o, err := s.object(ctx, bucket, key)
		if err != nil {
			return Object{}, nil, err
		}
		rc, err := s.openBytes(ctx, o)
		if errors.Is(err, blob.ErrNotFound) {
			continue
		}
		if err != nil {
			return Object{}, nil, awserr.Internal(err)
		}
		return o, rc, nil
	}
	return Object{}, nil, ErrNoSuchKey.New(msgNoSuchKey)
}

// DeleteObject removes an object. Deleting a missing key succeeds, as on S3.
func (s *Service) DeleteObject(ctx context.Context, req Request) error {
	if _, err := s.bucketFor(ctx, req, "s3:DeleteObject", objectARN(req.Bucket, req.Key), nil); err != nil {
		return err
	}
	return s.deleteObject(ctx, req.Bucket, req.Key)
}

func (s *Service) deleteObject(ctx context.Context, bucket, key string) error {
	prev, err := s.st.DeleteObject(ctx, bucket, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return awserr.Internal(err)
	}
	if prev != nil {
		s.release(ctx, *prev, Object{})
	}
	return nil
}

// release deletes the blobs of a replaced or deleted object that its
// successor (the zero Object after a delete) does not reuse. It runs after
// the metadata change is durable, so a crash in between leaks blobs but
// never loses an object's bytes.
func (s *Service) release(ctx context.Context, old, successor Object) {
	keep := map[string]bool{}
	for _, id := range successor.BlobIDs() {
		keep[id] = true
	}
	for _, id := range old.BlobIDs() {
		if !keep[id] {
			_ = s.bl.Delete(context.WithoutCancel(ctx), id)
		}
	}
}

// DeleteOutcome is the result for one key of DeleteObjects; Err is nil on
// success.
type DeleteOutcome struct {
	Key string
	Err *awserr.Error
}

// MaxDeleteKeys is the most keys one DeleteObjects request may name.
const MaxDeleteKeys = 1000

// DeleteObjects deletes several keys, authorizing each one separately, and
// reports the outcome per key. Only a missing bucket fails the whole call.
func (s *Service) DeleteObjects(ctx context.Context, req Request, keys []string) ([]DeleteOutcome, error) {
	if len(keys) > MaxDeleteKeys {
		return nil, ErrMalformedXML.New(MsgMalformedXML)
	}
	b, err := s.st.GetBucket(ctx, req.Bucket)
	if errors.Is(err, store.ErrNotFound) {
		// Only a caller who could delete here learns that the bucket is
		// missing; others get AccessDenied, as for every other operation.
		first := ""
		if len(keys) > 0 {
			first = keys[0]
		}
		if err := s.authorize(ctx, req, "s3:DeleteObject", objectARN(req.Bucket, first), "", nil); err != nil {
			return nil, err
		}
		return nil, ErrNoSuchBucket.New(msgNoSuchBucket)
	}
	if err != nil {
		return nil, awserr.Internal(err)
	}
	out := make([]DeleteOutcome, 0, len(keys))
	for _, k := range keys {
		r := req
		r.Key = k
		err := checkKey(k)
		if err == nil {
			err = s.authorizeIn(ctx, r, b, "s3:DeleteObject", objectARN(req.Bucket, k), nil)
		}
		if err == nil {
			err = s.deleteObject(ctx, req.Bucket, k)
		}
		oc := DeleteOutcome{Key: k}
		if err != nil {
			e, ok := awserr.As(err)
			if !ok {
				e = awserr.Internal(err)
			}
			oc.Err = e
		}
		out = append(out, oc)
	}
	return out, nil
}
