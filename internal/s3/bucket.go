package s3

import (
	"context"
	"errors"
	"net/netip"
	"strings"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/store"
)

// ValidBucketName reports whether name follows S3's general-purpose bucket
// naming rules: 3-63 characters of lower-case letters, digits, '.' and '-',
// starting and ending with a letter or digit, no "..", not shaped like an IP
// address. These rules keep names usable as DNS labels in virtual-host URLs.
func ValidBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	if !isAlnum(name[0]) || !isAlnum(name[len(name)-1]) {
		return false
	}
	if strings.Contains(name, "..") || strings.Contains(name, ".-") || strings.Contains(name, "-.") {
		return false
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return false
	}
	// Reserved prefixes and suffixes AWS uses for access points and other
	// features; refusing them keeps names portable to AWS.
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, sfx := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3"} {
		if strings.HasSuffix(name, sfx) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// ListBuckets returns every bucket, ordered by name.
func (s *Service) ListBuckets(ctx context.Context, req Request) ([]Bucket, error) {
	if err := s.authorize(ctx, req, "s3:ListAllMyBuckets", "*", "", nil); err != nil {
		return nil, err
	}
	bs, err := s.st.ListBuckets(ctx)
	if err != nil {
		return nil, awserr.Internal(err)
	}
	return bs, nil
}

// CreateBucket creates req.Bucket in the service's region. The location
// constraint is accepted as given: federa serves one region, and refusing a
// mismatch would only break clients configured for another.
func (s *Service) CreateBucket(ctx context.Context, req Request, locationConstraint string) error {
	if !ValidBucketName(req.Bucket) {
		return ErrInvalidBucketName.New(msgInvalidBucket)
	}
	if err := s.authorize(ctx, req, "s3:CreateBucket", bucketARN(req.Bucket), "", nil); err != nil {
		return err
	}
	err := s.st.CreateBucket(ctx, store.Bucket{Name: req.Bucket, Region: s.region, CreatedAt: s.now().UTC()})
	if errors.Is(err, store.ErrExists) {
		return ErrBucketAlreadyOwnedByYou.New(msgAlreadyOwned)
	}
	if err != nil {
		return awserr.Internal(err)
	}
	return nil
}

// HeadBucket checks that req.Bucket exists and the caller may list it.
func (s *Service) HeadBucket(ctx context.Context, req Request) (Bucket, error) {
	return s.bucketFor(ctx, req, "s3:ListBucket", bucketARN(req.Bucket), nil)
}

// GetBucketLocation returns the bucket's location constraint: "" for
// us-east-1, as S3 does for historical reasons, else the region.
func (s *Service) GetBucketLocation(ctx context.Context, req Request) (string, error) {
	b, err := s.bucketFor(ctx, req, "s3:GetBucketLocation", bucketARN(req.Bucket), nil)
	if err != nil {
		return "", err
	}
	region := b.Region
	if region == "" {
		region = s.region
	}
	if region == "us-east-1" {
		return "", nil
	}
	return region, nil
}

// DeleteBucket deletes an empty bucket, discarding its multipart uploads.
func (s *Service) DeleteBucket(ctx context.Context, req Request) error {
	if _, err := s.bucketFor(ctx, req, "s3:DeleteBucket", bucketARN(req.Bucket), nil); err != nil {
		return err
	}
	err := s.deleteBucket(ctx, req.Bucket)
	switch {
	case errors.Is(err, store.ErrConflict):
		return ErrBucketNotEmpty.New(msgBucketNotEmpty)
	case errors.Is(err, store.ErrNotFound):
		return ErrNoSuchBucket.New(msgNoSuchBucket)
	case err != nil:
		return awserr.Internal(err)
	}
	return nil
}
