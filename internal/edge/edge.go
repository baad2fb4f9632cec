package edge

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

// Endpoint is a service's wire adapter: it serves the service's requests and
// writes errors in the service's protocol.
type Endpoint interface {
	http.Handler
	WriteError(w http.ResponseWriter, r *http.Request, err error)
}

// Options configure the edge.
type Options struct {
	// Endpoints maps each service to its adapter. WellKnown needs no
	// WriteError of its own protocol; it may be a plain handler wrapped by
	// PlainEndpoint.
	Endpoints map[Service]Endpoint
	// Credentials resolves access keys to callers and secrets.
	Credentials access.CredentialSource
	// Region is the region signatures must be scoped to.
	Region string
	// Now is the clock signatures are checked against (time.Now when nil).
	Now func() time.Time
	// Logger receives one access-log line per request (slog.Default when nil).
	Logger *slog.Logger
	// IsHostedUI recognises requests for the hosted UI (by host or path
	// prefix); they are served by Endpoints[HostedUI] with no SigV4 step,
	// since browsers and OAuth clients never sign.
	IsHostedUI func(*http.Request) bool
}

// Edge is the router; it implements http.Handler.
type Edge struct {
	endpoints map[Service]Endpoint
	creds     access.CredentialSource
	region    string
	now       func() time.Time
	log       *slog.Logger
	hostedUI  func(*http.Request) bool
}

// New builds the edge.
func New(o Options) *Edge {
	e := &Edge{endpoints: o.Endpoints, creds: o.Credentials, region: o.Region, now: o.Now, log: o.Logger, hostedUI: o.IsHostedUI}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	return e
}

// ServeHTTP routes, authenticates and serves one request.
func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := e.now()
	id := reqid.New()
	r = r.WithContext(reqid.With(r.Context(), id))
	sw := &statusWriter{ResponseWriter: w}

	var (
		auth     *sigv4.Auth
		parseErr error
		svc      = HostedUI
	)
	if e.hostedUI == nil || e.endpoints[HostedUI] == nil || !e.hostedUI(r) {
		auth, parseErr = sigv4.Parse(r)
		scope := ""
		if auth != nil {
			scope = auth.Service
		}
		svc = Detect(r, scope)
	}
	ep, ok := e.endpoints[svc]
	if !ok {
		ep = e.endpoints[S3]
	}
	defer func() {
		if v := recover(); v != nil {
			// A panic is a bug: log it with the request id, answer a generic
			// internal error, never the stack.
			e.log.Error("panic serving request", "request_id", id, "panic", fmt.Sprint(v))
			if sw.status == 0 {
				ep.WriteError(sw, r, awserr.Internal(fmt.Errorf("panic: %v", v)))
			}
		}
		e.log.Info("request", "request_id", id, "service", svc.String(), "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "bytes", sw.bytes, "duration_ms", float64(e.now().Sub(start).Microseconds())/1000)
	}()

	if svc == HostedUI {
		ep.ServeHTTP(sw, r.WithContext(access.WithPrincipal(r.Context(), &access.Principal{Kind: access.Anonymous})))
		return
	}
	if jsonPreflight(sw, r) {
		return
	}
	if parseErr != nil {
		ep.WriteError(sw, r, parseErr)
		return
	}
	if svc == CognitoIDP || svc == CognitoIdentity {
		allowJSONOrigin(sw, r)
	}
	p, err := e.authenticate(r, svc, auth)
	if err != nil {
		ep.WriteError(sw, r, err)
		return
	}
	ep.ServeHTTP(sw, r.WithContext(access.WithPrincipal(r.Context(), p)))
}

// PlainEndpoint adapts a handler whose errors are plain HTTP (the OIDC
// discovery documents) to Endpoint.
func PlainEndpoint(h http.Handler) Endpoint { return plain{h} }

type plain struct{ http.Handler }

func (plain) WriteError(w http.ResponseWriter, _ *http.Request, err error) {
	status := http.StatusBadRequest
	if e, ok := awserr.As(err); ok {
		status = e.Status
	} else {
		status = http.StatusInternalServerError
	}
	http.Error(w, http.StatusText(status), status)
}

// statusWriter records the status and size for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Flush lets streaming responses through.
func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
