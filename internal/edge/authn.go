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
// For the other services it reads the body whole to hash it, and returns
// it (the Query Action and the audit log's parameters are in it).
func (e *Edge) authenticate(r *http.Request, svc Service, a *sigv4.Auth) (*access.Principal, []byte, error) {
	if a == nil {
		return &access.Principal{Kind: access.Anonymous}, nil, nil
	}
	if svc != S3 {
		// Hashed before the key is looked up, so that the body is known
		// (to name the operation) even when the key is not.
		limit := int64(maxSignedBody)
		if svc == ExecuteAPI {
			limit = maxInvokeBody
		}
		body, err := readBody(r, limit)
		if err != nil {
			return nil, nil, err
		}
		sum := sha256.Sum256(body)
		p, secret, err := e.creds.Lookup(r.Context(), a.AccessKeyID, a.SecurityToken)
		if err != nil {
			return nil, body, err
		}
		opt := sigv4.Options{Now: e.now(), MaxSkew: 15 * time.Minute, Region: e.region, Service: svc.String()}
		if err := a.Verify(r, secret, hex.EncodeToString(sum[:]), opt); err != nil {
			return nil, body, err
		}
		return p, body, nil
	}
	p, secret, err := e.creds.Lookup(r.Context(), a.AccessKeyID, a.SecurityToken)
	if err != nil {
		return nil, nil, err
	}
	opt := sigv4.Options{S3: true, Now: e.now(), MaxSkew: 15 * time.Minute, Region: e.region, Service: svc.String()}
	declared := a.PayloadHash
	if declared == "" {
		if !a.Presigned {
			return nil, nil, errMissingContentSHA.New("Missing required header for this request: x-amz-content-sha256")
		}
		declared = "UNSIGNED-PAYLOAD"
	}
	if err := a.Verify(r, secret, declared, opt); err != nil {
		return nil, nil, err
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
			return nil, nil, err
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
			return nil, nil, errInvalidArgument.New("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-… value or a hex SHA-256, not %q.", declared)
		}
		r.Body = sigv4.VerifyBody(r.Body, declared)
	}
	return p, nil, nil
}

// readBody reads a body of at most limit bytes and restores it for the
// service. An empty or absent body is a non-nil empty slice.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return []byte{}, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, awserr.Code("IncompleteSignatureException", http.StatusBadRequest).Wrap(err, "Unable to read the request body.")
	}
	if int64(len(b)) > limit {
		return nil, errBodyTooLarge.New("The request body is larger than %d bytes.", limit)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// peekBody returns the body when it is at most limit bytes, and leaves
// r.Body reading exactly the same bytes as before either way: the service
// applies its own limits and errors.
func peekBody(r *http.Request, limit int64) []byte {
	if r.Body == nil {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	rest := r.Body
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), errReader{err}, rest), rest}
	if err != nil || int64(len(b)) > limit {
		return nil
	}
	return b
}

// errReader answers err (or EOF when nil), so that a read error met while
// peeking reaches the service where it would have.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
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
