package s3api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/sigv4"
)

// A signed browser upload carries its credentials in the form: the access
// key and scope in x-amz-credential, the session token in
// x-amz-security-token, and x-amz-signature, the hex HMAC-SHA256 of the
// base64 policy under the SigV4 signing key of the credential's date, region
// and service.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html

// postSigFields are the fields a signed form must carry, in the order S3
// names the first one missing, spelled as S3 spells them in that message.
var postSigFields = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature", "Policy"}

const postMismatch = "The request signature we calculated does not match the signature you provided. Check your key and signing method."

// missingField is S3's answer to a form without a required field; the field
// may also just come after the file, where S3 does not look.
func missingField(name string) error {
	return s3.ErrInvalidArgument.New("Bucket POST must contain a field named '%s'.  If it is specified, please check the order of the fields.", name)
}

// signedPost reports whether the form claims a SigV4 signature. A form with
// none of its fields is anonymous, even with a policy: S3 then ignores the
// policy and the bucket policy alone decides.
func signedPost(f *postForm) bool {
	for _, n := range postSigFields[:4] {
		if _, ok := f.get(n); ok {
			return true
		}
	}
	return false
}

// authenticatePost verifies a signed form and returns its caller and policy.
// An unsigned form is anonymous with no policy, whatever signed the request
// itself: the form is POST Object's only authentication ("Query string
// authentication is not supported for POST"), and a presigned URL's
// unsigned body must not borrow its signer's rights.
func (h *Handler) authenticatePost(ctx context.Context, f *postForm) (*access.Principal, *postPolicy, error) {
	if _, v2 := f.get("AWSAccessKeyId"); v2 {
		return nil, nil, s3.ErrInvalidRequest.New("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	}
	if !signedPost(f) {
		return &access.Principal{Kind: access.Anonymous}, nil, nil
	}
	vals := map[string]string{}
	for _, n := range postSigFields {
		v, ok := f.get(n)
		if !ok {
			return nil, nil, missingField(n)
		}
		vals[n] = v
	}
	if vals["X-Amz-Algorithm"] != sigv4.Algorithm {
		return nil, nil, s3.ErrInvalidArgument.New("X-Amz-Algorithm only supports \"%s\"", sigv4.Algorithm)
	}
	sc, err := h.postScope(vals["X-Amz-Credential"])
	if err != nil {
		return nil, nil, err
	}
	if _, err := time.Parse("20060102T150405Z", vals["X-Amz-Date"]); err != nil {
		// "formated" is S3's spelling.
		return nil, nil, s3.ErrInvalidArgument.New("X-Amz-Date must be formated via ISO8601 Long format")
	}
	token, _ := f.get("x-amz-security-token")
	if h.creds == nil {
		return nil, nil, sigv4.Fail(sigv4.ErrUnknownAccessKey, "The AWS Access Key Id you provided does not exist in our records.")
	}
	p, secret, err := h.creds.Lookup(ctx, sc.accessKey, token)
	if err != nil {
		return nil, nil, err
	}
	policy := vals["Policy"]
	m := hmac.New(sha256.New, sigv4.SigningKey(secret, sc.date, sc.region, sc.service))
	m.Write([]byte(policy))
	got, err := hex.DecodeString(vals["X-Amz-Signature"])
	if err != nil || !hmac.Equal(got, m.Sum(nil)) {
		return nil, nil, sigv4.Fail(sigv4.ErrSignatureMismatch, postMismatch)
	}
	pol, err := parsePostPolicy(policy)
	if err != nil {
		return nil, nil, err
	}
	return p, pol, nil
}

// postScope is a parsed x-amz-credential.
type postScope struct {
	accessKey, date, region, service string
}

// postScope parses <AKID>/<YYYYMMDD>/<region>/s3/aws4_request and checks it
// names this server's region and S3.
func (h *Handler) postScope(cred string) (postScope, error) {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return postScope{}, s3.ErrInvalidArgument.New("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
	}
	sc := postScope{accessKey: parts[0], date: parts[1], region: parts[2], service: parts[3]}
	switch {
	case sc.accessKey == "":
		return sc, s3.ErrInvalidArgument.New("a non-empty Access Key (AKID) must be provided in the credential.")
	case !validDate(sc.date):
		return sc, s3.ErrInvalidArgument.New("incorrect date format \"%s\". This date in the credential must be in the format \"yyyyMMdd\".", sc.date)
	case sc.region != h.svc.Region():
		return sc, s3.ErrInvalidArgument.New("the region '%s' is wrong; expecting '%s'", sc.region, h.svc.Region())
	case sc.service != "s3":
		return sc, s3.ErrInvalidArgument.New("incorrect service \"%s\". This endpoint belongs to \"s3\".", sc.service)
	case parts[4] != "aws4_request":
		return sc, s3.ErrInvalidArgument.New("incorrect terminal \"%s\". This endpoint uses \"aws4_request\".", parts[4])
	}
	return sc, nil
}

func validDate(s string) bool {
	_, err := time.Parse("20060102", s)
	return err == nil
}
