package s3

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/store"
)

// CORSRule is one rule of a bucket's CORS configuration.
type CORSRule struct {
	ID             string   `json:"id,omitempty"`
	AllowedOrigins []string `json:"allowedOrigins"`
	AllowedMethods []string `json:"allowedMethods"`
	AllowedHeaders []string `json:"allowedHeaders,omitempty"`
	ExposeHeaders  []string `json:"exposeHeaders,omitempty"`
	// MaxAgeSeconds is nil when the rule sets no Access-Control-Max-Age.
	MaxAgeSeconds *int `json:"maxAgeSeconds,omitempty"`
}

// CORSConfiguration is a bucket's CORS rules, evaluated in order.
type CORSConfiguration struct {
	Rules []CORSRule `json:"rules"`
}

// maxCORSRules is S3's limit on rules per bucket.
const maxCORSRules = 100

var corsMethods = map[string]bool{"GET": true, "PUT": true, "POST": true, "DELETE": true, "HEAD": true}

// Validate checks the configuration the way PutBucketCors does.
func (c CORSConfiguration) Validate() error {
	if len(c.Rules) == 0 || len(c.Rules) > maxCORSRules {
		return ErrMalformedXML.New(MsgMalformedXML)
	}
	for _, r := range c.Rules {
		if len(r.AllowedOrigins) == 0 || len(r.AllowedMethods) == 0 || len(r.ID) > 255 {
			return ErrMalformedXML.New(MsgMalformedXML)
		}
		for _, m := range r.AllowedMethods {
			if !corsMethods[m] {
				return ErrInvalidRequest.New("Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return ErrInvalidRequest.New("AllowedOrigin %q can not have more than one wildcard.", o)
			}
		}
		for _, h := range r.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return ErrInvalidRequest.New("AllowedHeader %q can not have more than one wildcard.", h)
			}
		}
		if r.MaxAgeSeconds != nil && *r.MaxAgeSeconds < 0 {
			return ErrMalformedXML.New(MsgMalformedXML)
		}
	}
	return nil
}

// wildcardMatch matches s against a pattern holding at most one '*' (which
// Validate guarantees), case-insensitively when fold is set.
func wildcardMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

// Match returns the first rule that allows a request from origin with method
// and, for a preflight, every one of headers. Origins compare exactly
// (wildcards aside) because browsers send them canonically; header names are
// case-insensitive.
func (c CORSConfiguration) Match(origin, method string, headers []string) (CORSRule, bool) {
	for _, r := range c.Rules {
		if !anyMatch(r.AllowedOrigins, origin, false) {
			continue
		}
		methodOK := false
		for _, m := range r.AllowedMethods {
			if m == method {
				methodOK = true
				break
			}
		}
		if !methodOK {
			continue
		}
		headersOK := true
		for _, h := range headers {
			if !anyMatch(r.AllowedHeaders, h, true) {
				headersOK = false
				break
			}
		}
		if headersOK {
			return r, true
		}
	}
	return CORSRule{}, false
}

func anyMatch(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if wildcardMatch(p, s, fold) {
			return true
		}
	}
	return false
}

// PutBucketCORS validates and stores the bucket's CORS configuration.
func (s *Service) PutBucketCORS(ctx context.Context, req Request, c CORSConfiguration) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if _, err := s.bucketFor(ctx, req, "s3:PutBucketCORS", bucketARN(req.Bucket), nil); err != nil {
		return err
	}
	data, err := json.Marshal(c)
	if err != nil {
		return awserr.Internal(err)
	}
	return s.update(ctx, req.Bucket, func(b *Bucket) { b.CORS = data })
}

// GetBucketCORS returns the bucket's CORS configuration.
func (s *Service) GetBucketCORS(ctx context.Context, req Request) (CORSConfiguration, error) {
	b, err := s.bucketFor(ctx, req, "s3:GetBucketCORS", bucketARN(req.Bucket), nil)
	if err != nil {
		return CORSConfiguration{}, err
	}
	c, ok, err := decodeCORS(b.CORS)
	if err != nil {
		return CORSConfiguration{}, err
	}
	if !ok {
		return CORSConfiguration{}, ErrNoSuchCORSConfiguration.New(msgNoSuchCORS)
	}
	return c, nil
}

// DeleteBucketCORS removes the bucket's CORS configuration. S3 authorizes it
// as s3:PutBucketCORS; there is no separate action.
func (s *Service) DeleteBucketCORS(ctx context.Context, req Request) error {
	if _, err := s.bucketFor(ctx, req, "s3:PutBucketCORS", bucketARN(req.Bucket), nil); err != nil {
		return err
	}
	return s.update(ctx, req.Bucket, func(b *Bucket) { b.CORS = nil })
}

// BucketCORS returns bucket's CORS configuration without authorizing: CORS
// is evaluated for every browser request, preflights are unsigned, and the
// rules decide only which headers a browser sees, not what it may do.
// ok is false when the bucket is missing or has no rules.
func (s *Service) BucketCORS(ctx context.Context, bucket string) (c CORSConfiguration, ok bool, err error) {
	b, err := s.st.GetBucket(ctx, bucket)
	if errors.Is(err, store.ErrNotFound) {
		return CORSConfiguration{}, false, nil
	}
	if err != nil {
		return CORSConfiguration{}, false, awserr.Internal(err)
	}
	return decodeCORS(b.CORS)
}

func decodeCORS(data []byte) (CORSConfiguration, bool, error) {
	if len(data) == 0 {
		return CORSConfiguration{}, false, nil
	}
	var c CORSConfiguration
	if err := json.Unmarshal(data, &c); err != nil {
		return CORSConfiguration{}, false, awserr.Internal(err)
	}
	return c, len(c.Rules) > 0, nil
}

// update applies fn to the stored bucket.
func (s *Service) update(ctx context.Context, bucket string, fn func(*Bucket)) error {
	_, err := s.st.UpdateBucket(ctx, bucket, func(b *store.Bucket) error { fn(b); return nil })
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchBucket.New(msgNoSuchBucket)
	}
	if err != nil {
		return awserr.Internal(err)
	}
	return nil
}

// AllowOrigin is the Access-Control-Allow-Origin value for origin under r:
// "*" when the pattern that admits origin is the bare wildcard (the response
// is then the same for every origin and cacheable as such), else origin.
func (r CORSRule) AllowOrigin(origin string) string {
	for _, p := range r.AllowedOrigins {
		if wildcardMatch(p, origin, false) {
			if p == "*" {
				return "*"
			}
			return origin
		}
	}
	return origin
}
