package awsjson

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

// sigv4Codes maps signature failures to the codes JSON services answer with.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
var sigv4Codes = []struct {
	kind error
	tmpl awserr.Template
}{
	{sigv4.ErrIncompleteSignature, awserr.Code("IncompleteSignatureException", http.StatusBadRequest)},
	{sigv4.ErrInvalidScope, awserr.Code("InvalidSignatureException", http.StatusBadRequest)},
	{sigv4.ErrSignatureMismatch, awserr.Code("InvalidSignatureException", http.StatusBadRequest)},
	{sigv4.ErrRequestTimeTooSkewed, awserr.Code("InvalidSignatureException", http.StatusBadRequest)},
	{sigv4.ErrPresignExpired, awserr.Code("InvalidSignatureException", http.StatusBadRequest)},
	{sigv4.ErrContentSHA256Mismatch, awserr.Code("InvalidSignatureException", http.StatusBadRequest)},
	{sigv4.ErrIncompleteBody, awserr.Code("SerializationException", http.StatusBadRequest)},
	{sigv4.ErrUnknownAccessKey, awserr.Code("UnrecognizedClientException", http.StatusBadRequest)},
	{sigv4.ErrInvalidToken, awserr.Code("UnrecognizedClientException", http.StatusBadRequest)},
	{sigv4.ErrExpiredToken, awserr.Code("ExpiredTokenException", http.StatusBadRequest)},
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

// WriteError writes err as a JSON 1.1 error. Causes are logged, never sent.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := Wire(err)
	if e.Status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "request_id", reqid.From(r.Context()), "code", e.Code, "err", err)
	}
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.Code, e.Message})
	setHeaders(w, r)
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

func setHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("x-amzn-RequestId", reqid.From(r.Context()))
}
