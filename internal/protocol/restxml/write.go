package restxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

// Namespace is the xmlns of S3 response documents.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// sigv4Codes maps signature failures to S3's codes.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
var sigv4Codes = []struct {
	kind error
	tmpl awserr.Template
}{
	// Before ErrIncompleteSignature, which it wraps.
	{sigv4.ErrQueryParameters, awserr.Code("AuthorizationQueryParametersError", http.StatusBadRequest)},
	{sigv4.ErrIncompleteSignature, awserr.Code("AuthorizationHeaderMalformed", http.StatusBadRequest)},
	{sigv4.ErrInvalidScope, awserr.Code("AuthorizationHeaderMalformed", http.StatusBadRequest)},
	{sigv4.ErrSignatureMismatch, awserr.Code("SignatureDoesNotMatch", http.StatusForbidden)},
	{sigv4.ErrRequestTimeTooSkewed, awserr.Code("RequestTimeTooSkewed", http.StatusForbidden)},
	{sigv4.ErrPresignExpired, awserr.Code("AccessDenied", http.StatusForbidden)},
	{sigv4.ErrContentSHA256Mismatch, awserr.Code("XAmzContentSHA256Mismatch", http.StatusBadRequest)},
	{sigv4.ErrIncompleteBody, awserr.Code("IncompleteBody", http.StatusBadRequest)},
	{sigv4.ErrUnknownAccessKey, awserr.Code("InvalidAccessKeyId", http.StatusForbidden)},
	{sigv4.ErrInvalidToken, awserr.Code("InvalidToken", http.StatusBadRequest)},
	{sigv4.ErrExpiredToken, awserr.Code("ExpiredToken", http.StatusBadRequest)},
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
	e.Code = "InternalError"
	e.Message = "We encountered an internal error. Please try again."
	return e
}

type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource,omitempty"`
	RequestID string   `xml:"RequestId"`
	HostID    string   `xml:"HostId"`
}

// WriteError writes err as an S3 <Error>. HEAD responses carry only the status,
// as on S3. Causes are logged, never sent.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := Wire(err)
	if e.Status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "request_id", reqid.From(r.Context()), "code", e.Code, "err", err)
	}
	SetRequestHeaders(w, r)
	h := w.Header()
	// Headers a handler set for a success (ETag, Content-Length, …) must not
	// leak onto the error.
	for _, k := range []string{"ETag", "Last-Modified", "Content-Length", "Content-Range", "Accept-Ranges", "Content-Encoding", "Content-Disposition"} {
		h.Del(k)
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	body, _ := xml.Marshal(errorBody{Code: e.Code, Message: e.Message, Resource: r.URL.Path, RequestID: reqid.From(r.Context()), HostID: hostID(r)})
	h.Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

// WriteXML writes a success document with the XML declaration.
func WriteXML(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		WriteError(w, r, awserr.Internal(err))
		return
	}
	SetRequestHeaders(w, r)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// SetRequestHeaders sets x-amz-request-id and x-amz-id-2.
func SetRequestHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-amz-request-id", reqid.From(r.Context()))
	w.Header().Set("x-amz-id-2", hostID(r))
}

// hostID is the x-amz-id-2 value. federa has one host per request path, so the
// request id stands in for S3's opaque host id.
func hostID(r *http.Request) string { return reqid.From(r.Context()) }
