package sigv4

import (
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"time"
)

// Options configure Verify.
type Options struct {
	// S3 selects S3 canonicalization: the path is not normalized and each
	// segment is URI-encoded once.
	S3 bool
	// Now is the server clock.
	Now time.Time
	// MaxSkew bounds |Now - request time| for header auth (15 minutes when 0).
	MaxSkew time.Duration
	// Region and Service are the expected scope; "" skips the check.
	Region, Service string
}

const mismatchMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// Verify checks a's signature over r with secret. payloadHash is the hex
// SHA-256 of the body the caller computed, or for S3 the declared value.
func (a *Auth) Verify(r *http.Request, secret, payloadHash string, opt Options) error {
	if opt.Region != "" && a.Region != opt.Region && a.Presigned {
		return Fail(ErrQueryParameters, fmtSprintf("Error parsing the X-Amz-Credential parameter; the region '%s' is wrong; expecting '%s'", a.Region, opt.Region))
	}
	if opt.Region != "" && a.Region != opt.Region {
		return Fail(ErrInvalidScope, fmtSprintf("Credential should be scoped to a valid region, not '%s'. The region is '%s'.", a.Region, opt.Region))
	}
	if opt.Service != "" && a.Service != opt.Service {
		return Fail(ErrInvalidScope, fmtSprintf("Credential should be scoped to correct service: '%s'.", opt.Service))
	}
	if a.Date != a.Time.Format("20060102") {
		return Fail(ErrInvalidScope, fmtSprintf("Date in Credential scope does not match YYYYMMDD from the request time: %s.", a.Time.Format("20060102")))
	}
	if !slices.Contains(a.SignedHeaders, "host") {
		return Fail(ErrIncompleteSignature, "'Host' must be a signed header.")
	}
	if !slices.IsSorted(a.SignedHeaders) {
		return Fail(ErrSignatureMismatch, mismatchMessage)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	if a.Presigned {
		if now.Before(a.Time.Add(-maxSkew(opt))) {
			return Fail(ErrPresignExpired, "Request is not valid yet")
		}
		if now.After(a.Time.Add(a.Expires)) {
			return Fail(ErrPresignExpired, "Request has expired")
		}
	} else if d := now.Sub(a.Time); d > maxSkew(opt) || -d > maxSkew(opt) {
		rel, sign := "earlier", "-"
		if d < 0 {
			rel, sign = "later", "+"
		}
		bound := now.Add(-maxSkew(opt))
		if d < 0 {
			bound = now.Add(maxSkew(opt))
		}
		return Fail(ErrRequestTimeTooSkewed, fmtSprintf("Signature expired: %s is now %s than %s (%s %s %d min.)",
			a.Time.Format(amzDateFormat), rel, bound.UTC().Format(amzDateFormat), now.UTC().Format(amzDateFormat), sign, int(maxSkew(opt).Minutes())))
	}
	creq, err := canonicalRequest(r, a.SignedHeaders, payloadHash, opt.S3, a.Presigned)
	if err != nil {
		return err
	}
	want := a.signatureOf(creq, secret)
	got, err := hex.DecodeString(a.Signature)
	if err != nil || subtle.ConstantTimeCompare(got, want) != 1 {
		return Fail(ErrSignatureMismatch, mismatchMessage)
	}
	return nil
}

func (a *Auth) scope() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/aws4_request"
}

func (a *Auth) signatureOf(creq, secret string) []byte {
	sts := stringToSign(a.Time.UTC().Format(amzDateFormat), a.scope(), creq)
	return hmacSHA256(SigningKey(secret, a.Date, a.Region, a.Service), sts)
}

func maxSkew(opt Options) time.Duration {
	if opt.MaxSkew <= 0 {
		return 15 * time.Minute
	}
	return opt.MaxSkew
}
