package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/federa/federa/internal/awserr"
)

// Auth is how an operation must be called.
type Auth int

const (
	// SigV4 operations need a signed request (an administrator's or a session's key).
	SigV4 Auth = iota
	// None operations are called unsigned (InitiateAuth, GetId, …).
	None
)

// DefaultMaxBody caps a request body; Cognito's own limit is far below it.
const DefaultMaxBody = 1 << 20

// Operation is one entry of a service's operation table.
type Operation struct {
	Name string
	Auth Auth
	call func(ctx context.Context, body []byte) (any, error)
}

// Op adapts a typed operation function to the table. The body is decoded into
// In; a nil *Out is answered with {}.
func Op[In, Out any](name string, auth Auth, fn func(context.Context, *In) (*Out, error)) Operation {
	return Operation{Name: name, Auth: auth, call: func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, in); err != nil {
				return nil, serializationError(err)
			}
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}}
}

// Service serves one JSON 1.1 service from its operation table.
type Service struct {
	// TargetPrefix is the X-Amz-Target prefix, e.g. "AWSCognitoIdentityService".
	TargetPrefix string
	// Ops maps operation names to operations.
	Ops map[string]Operation
	// Before runs before every operation, e.g. to require a signature for
	// SigV4 operations and evaluate IAM policy; its error is sent as is.
	Before func(ctx context.Context, op Operation) error
	// MaxBody caps the request body (DefaultMaxBody when zero).
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
	errUnknownOperation = awserr.Code("UnknownOperationException", http.StatusBadRequest)
	errSerialization    = awserr.Code("SerializationException", http.StatusBadRequest)
	errTooLarge         = awserr.Code("RequestEntityTooLargeException", http.StatusRequestEntityTooLarge)
)

func serializationError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return errSerialization.Wrap(err, "Unable to parse the request: the value of %q must be of type %s.", te.Field, te.Type.String())
	}
	return errSerialization.Wrap(err, "Unable to parse the request body as JSON.")
}

// ServeHTTP decodes the target, runs Before and the operation, and writes the
// JSON result or the error.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, s.TargetPrefix+".")
	op, known := s.Ops[name]
	if r.Method != http.MethodPost || !ok || !known {
		WriteError(w, r, errUnknownOperation.New("The operation %q is not supported by this service.", target))
		return
	}
	limit := s.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		WriteError(w, r, errSerialization.Wrap(err, "Unable to read the request body."))
		return
	}
	if int64(len(body)) > limit {
		WriteError(w, r, errTooLarge.New("The request body is larger than %d bytes.", limit))
		return
	}
	ctx := r.Context()
	if s.Before != nil {
		if err := s.Before(ctx, op); err != nil {
			WriteError(w, r, err)
			return
		}
	}
	out, err := op.call(ctx, body)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	WriteResult(w, r, out)
}

// WriteResult writes a 200 JSON 1.1 response.
func WriteResult(w http.ResponseWriter, r *http.Request, out any) {
	b, err := json.Marshal(out)
	if err != nil {
		WriteError(w, r, awserr.Internal(err))
		return
	}
	setHeaders(w, r)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// WriteError writes err in this protocol; it makes a Service an edge endpoint.
func (s *Service) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	WriteError(w, r, err)
}
