package gatewayapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

// Codes the wire answers before the service is reached: authentication and
// authorization of the management call. API Gateway answers both with 403
// (https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html).
var (
	errMissingAuth    = awserr.Code("MissingAuthenticationTokenException", http.StatusForbidden)
	errAccessDenied   = awserr.Code("AccessDeniedException", http.StatusForbidden)
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

// wire returns the *awserr.Error err is sent as: itself, a mapped signature
// failure, or an internal failure that hides the cause.
func wire(err error) *awserr.Error {
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

// WriteError writes err as API Gateway does: the status, the code in
// X-Amzn-ErrorType and {"message": …} (rest-json errors carry no __type;
// the SDKs read the header). Causes are logged, never sent.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := wire(err)
	if e.Status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "request_id", reqid.From(r.Context()), "code", e.Code, "err", err)
	}
	body, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{e.Message})
	setHeaders(w, r)
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

func setHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-RequestId", reqid.From(r.Context()))
}
