package s3

import (
	"context"
	"errors"

	"github.com/federa/federa/internal/policy"
)

// PutBucketPolicy validates and stores the bucket's policy document.
func (s *Service) PutBucketPolicy(ctx context.Context, req Request, doc string) error {
	if _, err := policy.Parse(doc, policy.Resource); err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return ErrMalformedPolicy.New("%s", ve.Message)
		}
		return ErrMalformedPolicy.New("%s", err.Error())
	}
	if _, err := s.bucketFor(ctx, req, "s3:PutBucketPolicy", bucketARN(req.Bucket), nil); err != nil {
		return err
	}
	return s.update(ctx, req.Bucket, func(b *Bucket) { b.Policy = doc })
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
