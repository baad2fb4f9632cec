package s3

import (
	"context"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// PublicAccessBlock is a bucket's Block Public Access configuration.
type PublicAccessBlock = store.PublicAccessBlock

// newBucketPublicAccessBlock is what a new bucket starts with: all four
// settings on, as S3 does for every bucket created since April 2023.
var newBucketPublicAccessBlock = PublicAccessBlock{
	BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
}

// PutPublicAccessBlock sets the bucket's Block Public Access configuration.
// It changes no stored policy: a public policy already in place stays, and
// RestrictPublicBuckets decides who it grants to.
func (s *Service) PutPublicAccessBlock(ctx context.Context, req Request, c PublicAccessBlock) error {
	if _, err := s.bucketFor(ctx, req, "s3:PutBucketPublicAccessBlock", bucketARN(req.Bucket), nil); err != nil {
		return err
	}
	return s.update(ctx, req.Bucket, func(b *Bucket) { b.PublicAccessBlock = &c })
}

// GetPublicAccessBlock returns the bucket's configuration, or
// NoSuchPublicAccessBlockConfiguration when it has none.
func (s *Service) GetPublicAccessBlock(ctx context.Context, req Request) (PublicAccessBlock, error) {
	b, err := s.bucketFor(ctx, req, "s3:GetBucketPublicAccessBlock", bucketARN(req.Bucket), nil)
	if err != nil {
		return PublicAccessBlock{}, err
	}
	if b.PublicAccessBlock == nil {
		return PublicAccessBlock{}, ErrNoSuchPublicAccessBlockConfiguration.New(msgNoSuchPAB)
	}
	return *b.PublicAccessBlock, nil
}

// DeletePublicAccessBlock removes the configuration, turning all four
// settings off. S3 authorizes it as s3:PutBucketPublicAccessBlock; deleting
// a missing configuration succeeds.
func (s *Service) DeletePublicAccessBlock(ctx context.Context, req Request) error {
	if _, err := s.bucketFor(ctx, req, "s3:PutBucketPublicAccessBlock", bucketARN(req.Bucket), nil); err != nil {
		return err
	}
	return s.update(ctx, req.Bucket, func(b *Bucket) { b.PublicAccessBlock = nil })
}

// GetBucketPolicyStatus reports whether the bucket's policy is public. A
// bucket without a policy answers NoSuchBucketPolicy, as S3 does.
func (s *Service) GetBucketPolicyStatus(ctx context.Context, req Request) (isPublic bool, err error) {
	b, err := s.bucketFor(ctx, req, "s3:GetBucketPolicyStatus", bucketARN(req.Bucket), nil)
	if err != nil {
		return false, err
	}
	if b.Policy == "" {
		return false, ErrNoSuchBucketPolicy.New(msgNoSuchPolicy)
	}
	return s.public.of(b.Policy), nil
}

// blockPublicPolicy refuses p when the bucket blocks public policies, with
// the refusal S3 sends. It applies to every caller, the root key too: Block
// Public Access overrides permissions.
func blockPublicPolicy(ctx context.Context, b *Bucket, p *policy.Policy) error {
	if b.PublicAccessBlock == nil || !b.PublicAccessBlock.BlockPublicPolicy || !p.IsPublic() {
		return nil
	}
	who := access.FromContext(ctx).ARN
	if who == "" {
		who = "anonymous"
	}
	return ErrAccessDenied.New("User: %s is not authorized to perform: s3:PutBucketPolicy on resource: %q because public policies are blocked by the BlockPublicPolicy block public access setting.", who, bucketARN(b.Name))
}
