package s3

import (
	"context"
	"errors"
	"sync"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// loadBucket returns req.Bucket without authorizing anything. When the bucket
// does not exist, the caller is authorized for action without a resource
// policy first, so only callers who could act learn NoSuchBucket.
func (s *Service) loadBucket(ctx context.Context, req Request, action, resource string, extra map[string][]string) (Bucket, error) {
	b, err := s.st.GetBucket(ctx, req.Bucket)
	if errors.Is(err, store.ErrNotFound) {
		if err := s.authorize(ctx, req, action, resource, "", extra); err != nil {
			return Bucket{}, err
		}
		return Bucket{}, ErrNoSuchBucket.New(msgNoSuchBucket)
	}
	if err != nil {
		return Bucket{}, awserr.Internal(err)
	}
	return b, nil
}

// authorizeIn authorizes action on resource in bucket b, with b's policy as
// the resource policy. With RestrictPublicBuckets on and a public policy,
// callers outside the bucket owner's account (anonymous ones included) are
// refused whatever the policy says: "Amazon S3 blocks public and
// cross-account access derived from any public ... bucket policy, including
// non-public delegation to specific accounts" (S3 user guide, Block Public
// Access settings). Principals of the owner's account are still evaluated
// against the whole policy.
func (s *Service) authorizeIn(ctx context.Context, req Request, b Bucket, action, resource string, extra map[string][]string) error {
	if s.restricted(ctx, b) {
		return ErrAccessDenied.New(msgAccessDenied)
	}
	return s.authorize(ctx, req, action, resource, b.Policy, extra)
}

// restricted reports whether RestrictPublicBuckets shuts the caller out of b.
func (s *Service) restricted(ctx context.Context, b Bucket) bool {
	pab := b.PublicAccessBlock
	if pab == nil || !pab.RestrictPublicBuckets || b.Policy == "" {
		return false
	}
	p := access.FromContext(ctx)
	if p.Kind == access.Root || (p.Kind != access.Anonymous && p.Account == s.acct) {
		return false
	}
	return s.public.of(b.Policy)
}

// publicCache remembers whether policy documents are public, so anonymous
// requests to a bucket with RestrictPublicBuckets do not parse its policy
// each time. Documents are keyed by their text; the map is cleared when it
// grows past a few entries, as buckets have one policy each and few change.
type publicCache struct {
	mu sync.Mutex
	m  map[string]bool
}

const publicCacheSize = 128

// of reports whether doc is a public policy. A stored document that no
// longer parses counts as public: when in doubt, restrict.
func (c *publicCache) of(doc string) bool {
	c.mu.Lock()
	v, ok := c.m[doc]
	c.mu.Unlock()
	if ok {
		return v
	}
	p, err := policy.Parse(doc, policy.Resource)
	v = err != nil || p.IsPublic()
	c.mu.Lock()
	if c.m == nil || len(c.m) >= publicCacheSize {
		c.m = make(map[string]bool)
	}
	c.m[doc] = v
	c.mu.Unlock()
	return v
}

// existingTagKeys adds the s3:ExistingObjectTag/<key> condition keys of an
// object's tags to extra (allocating when extra is nil). S3 sets them on
// reads and tagging operations of an existing object, never on PutObject or
// DeleteObject (S3 user guide, "Tagging and access control policies").
func existingTagKeys(tags map[string]string, extra map[string][]string) map[string][]string {
	if len(tags) == 0 {
		return extra
	}
	if extra == nil {
		extra = make(map[string][]string, len(tags))
	}
	for k, v := range tags {
		extra["s3:ExistingObjectTag/"+k] = []string{v}
	}
	return extra
}

// requestTagKeys adds the keys describing the tags a request sets:
// s3:RequestObjectTag/<key> for each tag and s3:RequestObjectTagKeys, the
// multivalued list of keys. A request that sets no tags has neither.
func requestTagKeys(tags map[string]string, extra map[string][]string) map[string][]string {
	if len(tags) == 0 {
		return extra
	}
	if extra == nil {
		extra = make(map[string][]string, len(tags)+1)
	}
	keys := make([]string, 0, len(tags))
	for k, v := range tags {
		extra["s3:RequestObjectTag/"+k] = []string{v}
		keys = append(keys, k)
	}
	extra["s3:RequestObjectTagKeys"] = keys
	return extra
}
