package s3

import (
	"context"
	"errors"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// PutBucketPolicy validates and stores the bucket's policy document. A
// public policy is refused when the bucket's BlockPublicPolicy is on; the
// setting is read in the same update that stores the policy, so a
// concurrent PutPublicAccessBlock cannot slip one through.
func (s *Service) PutBucketPolicy(ctx context.Context, req Request, doc string) error {
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return ErrMalformedPolicy.New("%s", ve.Message)
		}
		return ErrMalformedPolicy.New("%s", err.Error())
	}
	if _, err := s.bucketFor(ctx, req, "s3:PutBucketPolicy", bucketARN(req.Bucket), nil); err != nil {
		return err
	}
	_, err = s.st.UpdateBucket(ctx, req.Bucket, func(b *Bucket) error {
		if err := blockPublicPolicy(ctx, b, p); err != nil {
			return err
		}
		b.Policy = doc
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchBucket.New(msgNoSuchBucket)
	}
	if _, ok := awserr.As(err); ok || err == nil {
		return err
	}
	return awserr.Internal(err)
}

// GetBucketPolicy returns the bucket's policy document.
func (s *Service) GetBucketPolicy(ctx context.Context, req Request) (string, error) {
	b, err := s.bucketFor(ctx, req, "s3:GetBucketPolicy", bucketARN(req.Bucket), nil)
	if err != nil {
		return "", err
	}
	if b.Policy == "" {
		return "", ErrNoSuchBucketPolicy.New(msgNoSuchPolicy)
	}
	return b.Policy, nil
}

// DeleteBucketPolicy removes the bucket's policy. Deleting a missing policy
// succeeds, as on S3.
func (s *Service) DeleteBucketPolicy(ctx context.Context, req Request) error {
	if _, err := s.bucketFor(ctx, req, "s3:DeleteBucketPolicy", bucketARN(req.Bucket), nil); err != nil {
		return err
	}
	return s.update(ctx, req.Bucket, func(b *Bucket) { b.Policy = "" })
}
