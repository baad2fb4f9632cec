package edge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/sigv4"
)

// maxSignedBody caps the body of a non-S3 request, which must be read whole to
// hash it. Every JSON and Query API federa serves stays far below it.
const maxSignedBody = 1 << 20

var (
	errMissingContentSHA = awserr.Code("InvalidRequest", http.StatusBadRequest)
	errInvalidArgument   = awserr.Code("InvalidArgument", http.StatusBadRequest)
	errBodyTooLarge      = awserr.Code("RequestEntityTooLarge", http.StatusRequestEntityTooLarge)
)

// authenticate verifies r's SigV4 signature, if it has one, and returns the
// caller. An unsigned request is anonymous; whether that is enough is the
// service's decision. For S3 it replaces r.Body with a stream that verifies
// the declared payload hash (or decodes aws-chunked framing) as it is read.
func (e *Edge) authenticate(r *http.Request, svc Service, a *sigv4.Auth) (*access.Principal, error) {
	if a == nil {
		return &access.Principal{Kind: access.Anonymous}, nil
	}
	p, secret, err := e.creds.Lookup(r.Context(), a.AccessKeyID, a.SecurityToken)
	if err != nil {
		return nil, err
	}
	opt := sigv4.Options{S3: svc == S3, Now: e.now(), MaxSkew: 15 * time.Minute, Region: e.region, Service: svc.String()}
	if svc != S3 {
		hash, err := hashBody(r)
		if err != nil {
			return nil, err
		}
		if err := a.Verify(r, secret, hash, opt); err != nil {
			return nil, err
		}
		return p, nil
	}
	declared := a.PayloadHash
	if declared == "" {
		if !a.Presigned {
			return nil, errMissingContentSHA.New("Missing required header for this request: x-amz-content-sha256")
		}
		declared = "UNSIGNED-PAYLOAD"
	}
	if err := a.Verify(r, secret, declared, opt); err != nil {
		return nil, err
	}
	switch {
	case sigv4.IsStreaming(declared):
		// The trailing checksum arrives in Request.Trailer, where the
		// service reads it once the body is consumed, as for HTTP trailers.
		if r.Trailer == nil {
			r.Trailer = http.Header{}
		}
		body, err := a.ChunkedBody(r.Body, secret, opt, r.Trailer)
		if err != nil {
			return nil, err
		}
		r.Body = body
		r.ContentLength = -1
		if n, err := strconv.ParseInt(r.Header.Get("X-Amz-Decoded-Content-Length"), 10, 64); err == nil && n >= 0 {
			r.ContentLength = n
		}
		r.Header.Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
		stripAWSChunked(r.Header)
	case declared == "UNSIGNED-PAYLOAD":
	default:
		if len(declared) != 64 || !isHex(declared) {
			return nil, errInvalidArgument.New("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-… value or a hex SHA-256, not %q.", declared)
		}
		r.Body = sigv4.VerifyBody(r.Body, declared)
	}
	return p, nil
}

// hashBody reads a bounded body, restores it for the service, and returns its
// hex SHA-256.
func hashBody(r *http.Request) (string, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxSignedBody+1))
		if err != nil {
			return "", awserr.Code("IncompleteSignatureException", http.StatusBadRequest).Wrap(err, "Unable to read the request body.")
		}
		if len(b) > maxSignedBody {
			return "", errBodyTooLarge.New("The request body is larger than %d bytes.", maxSignedBody)
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:]), nil
}

// stripAWSChunked removes the aws-chunked token from Content-Encoding: it
// describes the transfer framing, not the stored object.
func stripAWSChunked(h http.Header) {
	var keep []string
	for _, v := range strings.Split(h.Get("Content-Encoding"), ",") {
		if v = strings.TrimSpace(v); v != "" && !strings.EqualFold(v, "aws-chunked") {
			keep = append(keep, v)
		}
	}
	if len(keep) == 0 {
		h.Del("Content-Encoding")
		return
	}
	h.Set("Content-Encoding", strings.Join(keep, ","))
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}
