package awsquery

import (
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

// sigv4Codes maps signature failures to the codes IAM and STS answer with.
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
var sigv4Codes = []struct {
	kind error
	tmpl awserr.Template
}{
	{sigv4.ErrIncompleteSignature, awserr.Code("IncompleteSignature", http.StatusBadRequest)},
	{sigv4.ErrInvalidScope, awserr.Code("SignatureDoesNotMatch", http.StatusForbidden)},
	{sigv4.ErrSignatureMismatch, awserr.Code("SignatureDoesNotMatch", http.StatusForbidden)},
	{sigv4.ErrRequestTimeTooSkewed, awserr.Code("SignatureDoesNotMatch", http.StatusForbidden)},
	{sigv4.ErrPresignExpired, awserr.Code("SignatureDoesNotMatch", http.StatusForbidden)},
	{sigv4.ErrContentSHA256Mismatch, awserr.Code("SignatureDoesNotMatch", http.StatusForbidden)},
	{sigv4.ErrIncompleteBody, awserr.Code("MalformedQueryString", http.StatusBadRequest)},
	{sigv4.ErrUnknownAccessKey, awserr.Code("InvalidClientTokenId", http.StatusForbidden)},
	{sigv4.ErrInvalidToken, awserr.Code("InvalidClientTokenId", http.StatusForbidden)},
	{sigv4.ErrExpiredToken, awserr.Code("ExpiredToken", http.StatusForbidden)},
}

// Wire returns the *awserr.Error err is sent as.
func Wire(err error) *awserr.Error {
	if e, ok := awserr.As(err); ok {
		return e
	}
	for _, m := range sigv4Codes {
		if errors.Is(err, m.kind) {
			return m.tmpl.Wrap(err, "%s", sigv4.MessageOf(err))
		}
	}
	e := awserr.Internal(err)
	e.Code = "InternalFailure"
	return e
}

type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// WriteError writes err as a Query <ErrorResponse>. Causes are logged, never sent.
func (s *Service) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := Wire(err)
	if e.Status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "request_id", reqid.From(r.Context()), "code", e.Code, "err", err)
	}
	var resp errorResponse
	resp.Xmlns = s.Namespace
	resp.Error.Type = "Receiver"
	if e.Status < 500 {
		resp.Error.Type = "Sender"
	}
	resp.Error.Code = e.Code
	resp.Error.Message = e.Message
	resp.RequestID = reqid.From(r.Context())
	body, _ := xml.Marshal(resp)
	setHeaders(w, r)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}
