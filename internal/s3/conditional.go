package s3

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

// WritePreconditions are the conditional-write headers S3 accepts on
// PutObject and CompleteMultipartUpload.
type WritePreconditions struct {
	// IfMatch is an ETag the current object must have ("" for none).
	IfMatch string
	// IfNoneMatch may only be "*": the key must not exist yet.
	IfNoneMatch string
}

// check validates the headers and returns the test to run atomically with
// the write, or nil when the write is unconditional.
func (p WritePreconditions) check() (func(cur *Object) error, error) {
	if p.IfMatch == "" && p.IfNoneMatch == "" {
		return nil, nil
	}
	if p.IfNoneMatch != "" && strings.TrimSpace(p.IfNoneMatch) != "*" {
		return nil, ErrNotImplemented.New("A header you provided implies functionality that is not implemented: If-None-Match accepts only \"*\" on writes.")
	}
	return func(cur *Object) error {
		switch {
		case p.IfNoneMatch != "" && cur != nil:
			return ErrPreconditionFailed.New(msgPreconditionFailed)
		case p.IfMatch != "" && cur == nil:
			return ErrNoSuchKey.New(msgNoSuchKey)
		case p.IfMatch != "" && !ETagMatches(p.IfMatch, cur.ETag):
			return ErrPreconditionFailed.New(msgPreconditionFailed)
		}
		return nil
	}, nil
}

// precheck runs cond against the object as it is now.
func (s *Service) precheck(ctx context.Context, req Request, cond func(cur *Object) error) error {
	o, err := s.st.GetObject(ctx, req.Bucket, req.Key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return cond(nil)
	case err != nil:
		return nil // the atomic check decides
	}
	return cond(&o)
}

// ETagMatches reports whether a comma-separated If-Match/If-None-Match list
// names etag; "*" matches any object, weak tags compare by value.
func ETagMatches(list, etag string) bool {
	want := strings.Trim(etag, `"`)
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		if strings.Trim(strings.TrimPrefix(t, "W/"), `"`) == want {
			return true
		}
	}
	return false
}

// ReadPreconditions are conditions on an object being read: the
// x-amz-copy-source-if-* headers of CopyObject and UploadPartCopy.
type ReadPreconditions struct {
	IfMatch           string
	IfNoneMatch       string
	IfModifiedSince   *time.Time
	IfUnmodifiedSince *time.Time
}

// hold reports whether o satisfies the conditions, as S3 evaluates them for
// a copy source: If-Match with If-Unmodified-Since passes when If-Match
// does, and If-None-Match with If-Modified-Since fails when If-None-Match does.
func (p ReadPreconditions) hold(o Object) bool {
	lm := o.LastModified.UTC().Truncate(time.Second)
	if p.IfMatch != "" {
		if !ETagMatches(p.IfMatch, o.ETag) {
			return false
		}
	} else if p.IfUnmodifiedSince != nil && lm.After(*p.IfUnmodifiedSince) {
		return false
	}
	if p.IfNoneMatch != "" {
		if ETagMatches(p.IfNoneMatch, o.ETag) {
			return false
		}
	} else if p.IfModifiedSince != nil && !lm.After(*p.IfModifiedSince) {
		return false
	}
	return true
}
