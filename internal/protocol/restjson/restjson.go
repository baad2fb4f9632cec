// Package restjson is AWS's rest-json protocol as API Gateway speaks it:
// errors are the status, the code in X-Amzn-ErrorType and a body
// {"message": …} (no __type; the SDKs read the header), and every answer
// carries x-amzn-RequestId.
package restjson

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

// Codes of failures answered before a service is reached: authentication
// and signatures. API Gateway answers all of them with 403
// (https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html).
var (
	ErrMissingAuth    = awserr.Code("MissingAuthenticationTokenException", http.StatusForbidden)
	ErrAccessDenied   = awserr.Code("AccessDeniedException", http.StatusForbidden)
	errBadSignature   = awserr.Code("InvalidSignatureException", http.StatusForbidden)
	errUnknownClient  = awserr.Code("UnrecognizedClientException", http.StatusForbidden)
	errExpiredToken   = awserr.Code("ExpiredTokenException", http.StatusForbidden)
	errIncompleteSign = awserr.Code("IncompleteSignatureException", http.StatusForbidden)
)

// sigv4Codes maps signature failures to this protocol's codes.
var sigv4Codes = []struct {
	kind error
	tmpl awserr.Template
}{
	{sigv4.ErrIncompleteSignature, errIncompleteSign},
	{sigv4.ErrInvalidScope, errBadSignature},
	{sigv4.ErrSignatureMismatch, errBadSignature},
	{sigv4.ErrRequestTimeTooSkewed, errBadSignature},
	{sigv4.ErrPresignExpired, errBadSignature},
	{sigv4.ErrContentSHA256Mismatch, errBadSignature},
	{sigv4.ErrIncompleteBody, errBadSignature},
	{sigv4.ErrUnknownAccessKey, errUnknownClient},
	{sigv4.ErrInvalidToken, errUnknownClient},
	{sigv4.ErrExpiredToken, errExpiredToken},
}

// Wire returns the *awserr.Error err is sent as: itself, a mapped signature
// failure, or an internal failure that hides the cause.
func Wire(err error) *awserr.Error {
	if e, ok := awserr.As(err); ok {
		return e
	}
	for _, m := range sigv4Codes {
		if errors.Is(err, m.kind) {
			return m.tmpl.Wrap(err, "%s", sigv4.MessageOf(err))
		}
	}
	return awserr.Internal(err)
}

// SetHeaders sets what every rest-json answer carries.
func SetHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-RequestId", reqid.From(r.Context()))
}

// WriteError writes err. Causes are logged, never sent.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := Wire(err)
	if e.Status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "request_id", reqid.From(r.Context()), "code", e.Code, "err", err)
	}
	body, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{e.Message})
	SetHeaders(w, r)
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}
