package s3

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/store"
)

// Store is the persistence the service needs: bucket and object metadata
// and multipart uploads.
type Store interface {
	store.Buckets
	store.Objects
	store.Uploads
}

// Bucket and Object are the store's records. They are aliases so the wire
// adapter can read them without importing the store.
type (
	// Bucket is a bucket's record.
	Bucket = store.Bucket
	// Object is an object's metadata record.
	Object = store.Object
	// Checksum is an object's additional checksum.
	Checksum = store.Checksum
)

// Options configure the service.
type Options struct {
	// Region is where buckets are created and what GetBucketLocation answers.
	Region string
	// AccountID owns every bucket; it appears as the Owner in listings.
	AccountID string
	// Now is the clock for creation and modification times (time.Now when nil).
	Now func() time.Time
}

// Service implements the S3 operations. Every method authorizes the caller
// in ctx before it acts.
type Service struct {
	st     Store
	bl     blob.Store
	authz  access.Authorizer
	region string
	acct   string
	now    func() time.Time
}

// New returns the service.
func New(st Store, bl blob.Store, authz access.Authorizer, o Options) *Service {
	s := &Service{st: st, bl: bl, authz: authz, region: o.Region, acct: o.AccountID, now: o.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	return s
}

// Region is the region the service's buckets live in.
func (s *Service) Region() string { return s.region }

// Owner is the owner shown in listings.
type Owner struct {
	ID          string
	DisplayName string
}

// Owner returns the account's owner. S3 shows a 64-hex canonical user id; a
// hash of the account id has that shape and is stable across restarts.
func (s *Service) Owner() Owner {
	sum := sha256.Sum256([]byte("federa-canonical-user:" + s.acct))
	return Owner{ID: hex.EncodeToString(sum[:]), DisplayName: s.acct}
}

// Request describes the caller's request as far as authorization needs it:
// the target and the facts the global condition keys are built from.
type Request struct {
	Bucket string
	Key    string
	// SourceIP is the client's address without the port (aws:SourceIp).
	SourceIP string
	// Secure is true for TLS requests (aws:SecureTransport).
	Secure bool
	// UserAgent is the User-Agent header (aws:UserAgent).
	UserAgent string
	// SignatureVersion is "AWS4-HMAC-SHA256" for signed requests, else "".
	SignatureVersion string
	// Referer is the Referer header (aws:Referer), often used in bucket policies.
	Referer string
}

// conditions returns the request's condition keys plus extra.
func (r Request) conditions(extra map[string][]string) map[string][]string {
	c := map[string][]string{
		"aws:SecureTransport": {boolString(r.Secure)},
	}
	if r.SourceIP != "" {
		c["aws:SourceIp"] = []string{r.SourceIP}
	}
	if r.UserAgent != "" {
		c["aws:UserAgent"] = []string{r.UserAgent}
	}
	if r.Referer != "" {
		c["aws:Referer"] = []string{r.Referer}
	}
	if r.SignatureVersion != "" {
		c["s3:signatureversion"] = []string{r.SignatureVersion}
		c["s3:authType"] = []string{"REST-HEADER"}
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func bucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }

func objectARN(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }

// authorize asks whether the caller in ctx may perform action on resource.
// The root key is always allowed. Anonymous callers go to the authorizer too,
// because a bucket policy may grant "*".
func (s *Service) authorize(ctx context.Context, req Request, action, resource, resourcePolicy string, extra map[string][]string) error {
	p := access.FromContext(ctx)
	if p.Kind == access.Root {
		return nil
	}
	if s.authz == nil {
		return ErrAccessDenied.New(msgAccessDenied)
	}
	d, err := s.authz.Authorize(ctx, access.Check{
		Principal:      p,
		Action:         action,
		Resource:       resource,
		Context:        req.conditions(extra),
		ResourcePolicy: resourcePolicy,
	})
	if err != nil {
		return awserr.Internal(err)
	}
	if !d.Allowed {
		return ErrAccessDenied.New(msgAccessDenied)
	}
	return nil
}

// bucketFor loads req.Bucket and authorizes action on resource against its
// policy. When the bucket does not exist the caller is authorized without a
// resource policy first, so only callers who could act learn NoSuchBucket.
func (s *Service) bucketFor(ctx context.Context, req Request, action, resource string, extra map[string][]string) (Bucket, error) {
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
	if err := s.authorize(ctx, req, action, resource, b.Policy, extra); err != nil {
		return Bucket{}, err
	}
	return b, nil
}

// newBlobID returns a fresh blob id. Random ids mean a new version never
// overwrites the bytes a concurrent reader of the old version is streaming.
func newBlobID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return "obj/" + h[:2] + "/" + h
}
