package s3

import (
	"context"
	"maps"
)

// authorizeWrite authorizes a write of req.Key that sets tags: s3:PutObject,
// with the tags as s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys,
// and s3:PutObjectTagging too when there are tags ("To successfully set the
// tag-set with your PutObject request, you must have the
// s3:PutObjectTagging", PutObject's API reference). It then refuses a public
// ACL (checkObjectACL). extra carries further keys (CopyObject's); it is not
// modified. Uploads (PutObject, CopyObject, and multipart uploads when they
// take tags) all go through here.
func (s *Service) authorizeWrite(ctx context.Context, req Request, tags map[string]string, extra map[string][]string) (Bucket, error) {
	if err := checkTagMap(tags); err != nil {
		return Bucket{}, err
	}
	res := objectARN(req.Bucket, req.Key)
	extra = requestTagKeys(tags, maps.Clone(extra))
	b, err := s.bucketFor(ctx, req, "s3:PutObject", res, extra)
	if err != nil {
		return Bucket{}, err
	}
	if len(tags) > 0 {
		if err := s.authorizeIn(ctx, req, b, "s3:PutObjectTagging", res, extra); err != nil {
			return Bucket{}, err
		}
	}
	if err := checkObjectACL(b, req); err != nil {
		return Bucket{}, err
	}
	return b, nil
}

// checkTagMap validates tags given as a map (their keys are unique by
// construction).
func checkTagMap(tags map[string]string) error {
	if len(tags) == 0 {
		return nil
	}
	list := make([]Tag, 0, len(tags))
	for k, v := range tags {
		list = append(list, Tag{Key: k, Value: v})
	}
	_, err := CheckTags(list)
	return err
}
