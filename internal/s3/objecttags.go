package s3

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/store"
)

// GetObjectTagging returns the object's tags. It is authorized as
// s3:GetObjectTagging with the object's tags as s3:ExistingObjectTag/<key>.
func (s *Service) GetObjectTagging(ctx context.Context, req Request) (map[string]string, error) {
	o, err := s.existingObject(ctx, req, "s3:GetObjectTagging", nil)
	if err != nil {
		return nil, err
	}
	return o.Tags, nil
}

// PutObjectTagging replaces the object's tags; an empty set removes them.
func (s *Service) PutObjectTagging(ctx context.Context, req Request, tags []Tag) error {
	m, err := CheckTags(tags)
	if err != nil {
		return err
	}
	return s.retag(ctx, req, "s3:PutObjectTagging", m)
}

// DeleteObjectTagging removes the object's tags. Its authorization sees the
// tags being removed (s3:ExistingObjectTag/<key>).
func (s *Service) DeleteObjectTagging(ctx context.Context, req Request) error {
	return s.retag(ctx, req, "s3:DeleteObjectTagging", nil)
}

// existingObject loads the object and authorizes action on it with its tags
// as s3:ExistingObjectTag/<key>. A missing key is NoSuchKey for callers the
// action is allowed to without tags.
func (s *Service) existingObject(ctx context.Context, req Request, action string, extra map[string][]string) (Object, error) {
	if err := checkKey(req.Key); err != nil {
		return Object{}, err
	}
	res := objectARN(req.Bucket, req.Key)
	b, err := s.loadBucket(ctx, req, action, res, extra)
	if err != nil {
		return Object{}, err
	}
	o, err := s.object(ctx, req.Bucket, req.Key)
	if err != nil {
		if aerr := s.authorizeIn(ctx, req, b, action, res, extra); aerr != nil {
			return Object{}, aerr
		}
		return Object{}, s.missing(ctx, req, b, err)
	}
	if err := s.authorizeIn(ctx, req, b, action, res, existingTagKeys(o.Tags, maps.Clone(extra))); err != nil {
		return Object{}, err
	}
	return o, nil
}

// errRetag marks a tag update that found the object changed since it read it.
var errRetag = errors.New("s3: the object changed during a tag update")

// maxRetag bounds the attempts of a tag update racing other writers.
const maxRetag = 8

// retag sets the object's tags to tags (nil removes them) by compare and
// swap: the update is authorized against the version it read (its tags are
// s3:ExistingObjectTag/<key>, the new ones s3:RequestObjectTag/<key>) and
// written only if that version is still current, so a concurrent overwrite
// is neither lost nor given the tags meant for the version it replaced.
// The object's bytes, ETag and Last-Modified stay, as on S3.
func (s *Service) retag(ctx context.Context, req Request, action string, tags map[string]string) error {
	if err := checkKey(req.Key); err != nil {
		return err
	}
	res := objectARN(req.Bucket, req.Key)
	b, err := s.loadBucket(ctx, req, action, res, requestTagKeys(tags, nil))
	if err != nil {
		return err
	}
	for range maxRetag {
		read, err := s.object(ctx, req.Bucket, req.Key)
		if err != nil {
			if aerr := s.authorizeIn(ctx, req, b, action, res, requestTagKeys(tags, nil)); aerr != nil {
				return aerr
			}
			return err
		}
		if err := s.authorizeIn(ctx, req, b, action, res, existingTagKeys(read.Tags, requestTagKeys(tags, nil))); err != nil {
			return err
		}
		next := read
		next.Tags = tags
		_, err = s.st.PutObject(ctx, next, func(cur *Object) error {
			if cur == nil {
				return ErrNoSuchKey.New(msgNoSuchKey)
			}
			if !sameVersion(*cur, read) {
				return errRetag
			}
			return nil
		})
		switch {
		case errors.Is(err, errRetag):
			continue
		case errors.Is(err, store.ErrNotFound):
			return ErrNoSuchBucket.New(msgNoSuchBucket)
		case err == nil:
			return nil
		}
		if _, ok := awserr.As(err); ok {
			return err
		}
		return awserr.Internal(err)
	}
	return ErrOperationAborted.New(msgOperationAborted)
}

// sameVersion reports whether a and b are the same version of an object with
// the same tags. Every write of an object's bytes stores them under fresh
// blob ids, so the ids name the version.
func sameVersion(a, b Object) bool {
	return slices.Equal(a.BlobIDs(), b.BlobIDs()) && a.ETag == b.ETag &&
		a.LastModified.Equal(b.LastModified) && maps.Equal(a.Tags, b.Tags)
}
