package awsquery

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
)

// Auth is how an operation must be called.
type Auth int

const (
	// SigV4 operations need a signed request.
	SigV4 Auth = iota
	// None operations are called unsigned (AssumeRoleWithWebIdentity).
	None
)

// DefaultMaxBody caps a form body (IAM documents are at most a few KiB each).
const DefaultMaxBody = 1 << 20

// Operation is one entry of a Query service's table. Fn returns the value
// encoded inside <ActionResult>, or nil for actions without a result.
type Operation struct {
	Name string
	Auth Auth
	Fn   func(ctx context.Context, q Values) (any, error)
}

// Service serves one Query service.
type Service struct {
	// Namespace is the xmlns of responses, e.g. https://sts.amazonaws.com/doc/2011-06-15/.
	Namespace string
	// Ops maps Action names to operations.
	Ops map[string]Operation
	// Before runs before every operation (signature required, IAM policy).
	Before func(ctx context.Context, op Operation) error
	// MaxBody caps the form body (DefaultMaxBody when zero).
	MaxBody int64
}

// Table builds an operation table from a list of operations.
func Table(ops ...Operation) map[string]Operation {
	t := make(map[string]Operation, len(ops))
	for _, op := range ops {
		t[op.Name] = op
	}
	return t
}

var (
	errInvalidAction    = awserr.Code("InvalidAction", http.StatusBadRequest)
	errMalformedQuery   = awserr.Code("MalformedQueryString", http.StatusBadRequest)
	errMissingAction    = awserr.Code("MissingAction", http.StatusBadRequest)
	errRequestTooLarge  = awserr.Code("RequestEntityTooLarge", http.StatusRequestEntityTooLarge)
	errUnsupportedMedia = awserr.Code("InvalidParameterValue", http.StatusBadRequest)
)

// ParseForm reads the Query parameters of r from the URL and, for a form
// POST, from the body (at most limit bytes). The edge may call it before the
// service does; it leaves the body readable for signature checks by
// restoring it.
func ParseForm(r *http.Request, limit int64) (url.Values, error) {
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	vals := r.URL.Query()
	if r.Method == http.MethodPost && r.Body != nil {
		if ct := r.Header.Get("Content-Type"); ct != "" {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || mt != "application/x-www-form-urlencoded" {
				return nil, errUnsupportedMedia.New("Content-Type must be application/x-www-form-urlencoded.")
			}
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			return nil, errMalformedQuery.Wrap(err, "Unable to read the request body.")
		}
		if int64(len(body)) > limit {
			return nil, errRequestTooLarge.New("The request body is larger than %d bytes.", limit)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, errMalformedQuery.Wrap(err, "The request body is not valid form encoding: %v.", err)
		}
		for k, vs := range form {
			vals[k] = append(vals[k], vs...)
		}
	}
	return vals, nil
}

// ServeHTTP decodes the parameters, runs Before and the action, and writes the
// XML response or error.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	vals, err := ParseForm(r, s.MaxBody)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	action := vals.Get("Action")
	if action == "" {
		s.WriteError(w, r, errMissingAction.New("The request must contain the parameter Action."))
		return
	}
	op, ok := s.Ops[action]
	if !ok {
		s.WriteError(w, r, errInvalidAction.New("Could not find operation %s for version %s.", action, vals.Get("Version")))
		return
	}
	ctx := r.Context()
	if s.Before != nil {
		if err := s.Before(ctx, op); err != nil {
			s.WriteError(w, r, err)
			return
		}
	}
	result, err := op.Fn(ctx, NewValues(vals))
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.WriteResult(w, r, action, result)
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// WriteResult writes <ActionResponse xmlns><ActionResult>result</ActionResult>
// <ResponseMetadata/></ActionResponse>.
func (s *Service) WriteResult(w http.ResponseWriter, r *http.Request, action string, result any) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: action + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: s.Namespace}}}
	err := enc.EncodeToken(start)
	if err == nil && result != nil {
		err = enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}})
	}
	if err == nil {
		err = enc.EncodeElement(responseMetadata{reqid.From(r.Context())}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	}
	if err == nil {
		err = enc.EncodeToken(start.End())
	}
	if err == nil {
		err = enc.Flush()
	}
	if err != nil {
		s.WriteError(w, r, awserr.Internal(err))
		return
	}
	setHeaders(w, r)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

func setHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", reqid.From(r.Context()))
}
