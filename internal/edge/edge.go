package edge

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
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
	// BaseDomains are the hosts under which <bucket>.<base> names a bucket,
	// as s3api is told; the edge needs them to name S3 operations and to
	// keep /healthz from shadowing a virtual-hosted bucket's key.
	BaseDomains []string
	// Observer, when set, receives every request routed to a service once
	// it is answered (metrics, the audit log).
	Observer Observer
	// Probes, when set, answers /_federa/healthz and /_federa/readyz, and
	// /healthz and /readyz when they cannot be S3 requests (probes.go).
	Probes *Probes
	// Metrics, when set, is served at /_federa/metrics without
	// authentication; leave it nil to keep metrics off this listener.
	Metrics http.Handler
}

// Edge is the router; it implements http.Handler.
type Edge struct {
	endpoints map[Service]Endpoint
	creds     access.CredentialSource
	region    string
	now       func() time.Time
	log       *slog.Logger
	hostedUI  func(*http.Request) bool
	bases     []string
	observer  Observer
	probes    *Probes
	metrics   http.Handler
}

// New builds the edge.
func New(o Options) *Edge {
	e := &Edge{endpoints: o.Endpoints, creds: o.Credentials, region: o.Region, now: o.Now, log: o.Logger, hostedUI: o.IsHostedUI,
		observer: o.Observer, probes: o.Probes, metrics: o.Metrics}
	for _, b := range o.BaseDomains {
		if b = strings.ToLower(strings.Trim(b, ".")); b != "" {
			e.bases = append(e.bases, b)
		}
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	return e
}

// exchange is one request's bookkeeping, allocated once: the writer that
// records what was answered and the record observers receive.
type exchange struct {
	sw  statusWriter
	req Request
}

// ServeHTTP routes, authenticates and serves one request.
func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e.ops(w, r) {
		return
	}
	x := &exchange{sw: statusWriter{ResponseWriter: w}}
	sw, rec := &x.sw, &x.req
	rec.Start, rec.ID, rec.Method = e.now(), reqid.New(), r.Method
	ctx := reqid.With(r.Context(), rec.ID)
	if e.observer != nil {
		ctx = context.WithValue(ctx, requestKey{}, rec)
	}
	r = r.WithContext(ctx)

	var (
		auth     *sigv4.Auth
		parseErr error
		action   string
		svc      = HostedUI
	)
	if e.hostedUI == nil || e.endpoints[HostedUI] == nil || !e.hostedUI(r) {
		auth, parseErr = sigv4.Parse(r)
		scope := ""
		if auth != nil {
			scope = auth.Service
			rec.AccessKeyID = auth.AccessKeyID
		}
		if t, ok := invokeTarget(r, e.bases); ok && e.endpoints[ExecuteAPI] != nil {
			svc = ExecuteAPI
			r = r.WithContext(context.WithValue(r.Context(), invokeKey{}, t))
		} else {
			svc, action = detect(r, scope)
		}
	}
	ep, ok := e.endpoints[svc]
	if !ok {
		ep = e.endpoints[S3]
	}
	rec.Service = svc
	switch svc {
	case S3:
		rec.Operation = unknownOp
		if n, ok := ep.(s3Targeter); ok {
			rec.Operation, rec.Bucket = n.Target(r)
		}
	case CognitoIDP, CognitoIdentity, Federa:
		rec.Operation = jsonOperation(r, ep)
	case HostedUI:
		rec.Operation = hostedOperation(r)
	case WellKnown:
		rec.Operation = wellKnownOperation(r)
	case ExecuteAPI:
		rec.Operation = "Invoke"
	}
	// A sign-in's flow is in its body and its outcome in the answer's
	// first bytes; only an observer wants them.
	signIn := e.observer != nil && signInKind(svc, rec.Operation, r)
	if signIn {
		sw.keep = len(successPrefix)
	}
	defer func() {
		if v := recover(); v != nil {
			// A panic is a bug: log it with the request id, answer a generic
			// internal error, never the stack.
			e.log.Error("panic serving request", "request_id", rec.ID, "panic", fmt.Sprint(v))
			if sw.status == 0 {
				ep.WriteError(sw, r, awserr.Internal(fmt.Errorf("panic: %v", v)))
			}
		}
		e.finish(r, svc, ep, action, signIn, x)
	}()

	if svc == HostedUI {
		if signIn {
			// The hosted UI reads at most 64 KiB of a form; peeking at more
			// would buffer what it refuses.
			rec.Body = peekBody(r, 64<<10)
		}
		ep.ServeHTTP(sw, r.WithContext(access.WithPrincipal(r.Context(), &access.Principal{Kind: access.Anonymous})))
		return
	}
	if svc != ExecuteAPI && jsonPreflight(sw, r) {
		return
	}
	if parseErr != nil && svc == ExecuteAPI && !claimsSigV4(r) {
		// A user pool token in Authorization (COGNITO_USER_POOLS): not a
		// signature, so the call is anonymous and the route decides.
		auth, parseErr = nil, nil
	}
	if parseErr != nil {
		ep.WriteError(sw, r, parseErr)
		return
	}
	if svc == CognitoIDP || svc == CognitoIdentity {
		allowJSONOrigin(sw, r)
	}
	p, body, err := e.authenticate(r, svc, auth)
	if svc != ExecuteAPI {
		// An invoke's body is the user's data, up to 10 MB: no observer reads it.
		rec.Body = body
	}
	if err != nil {
		ep.WriteError(sw, r, err)
		return
	}
	rec.Principal = p
	if signIn && body == nil {
		// An unsigned sign-in: read its flow; the service reads the same bytes.
		rec.Body = peekBody(r, maxSignedBody)
	}
	ep.ServeHTTP(sw, r.WithContext(access.WithPrincipal(r.Context(), p)))
}

// finish completes the request's record, writes the access-log line and
// hands the record to the observer.
func (e *Edge) finish(r *http.Request, svc Service, ep Endpoint, action string, signIn bool, x *exchange) {
	sw, rec := &x.sw, &x.req
	rec.Duration = e.now().Sub(rec.Start)
	rec.Status, rec.Bytes = sw.status, sw.bytes
	if rec.Status == 0 {
		// The handler wrote nothing: net/http answers 200.
		rec.Status = http.StatusOK
	}
	rec.Code = sw.errorCode(svc, r.Method)
	if svc == STS || svc == IAM {
		rec.Operation = queryOperation(r, ep, action, rec.Body)
	}
	e.log.Info("request", "request_id", rec.ID, "service", svc.String(), "operation", rec.Operation, "method", r.Method, "path", r.URL.Path,
		"status", sw.status, "code", rec.Code, "bytes", sw.bytes, "duration_ms", float64(rec.Duration.Microseconds())/1000)
	if e.observer == nil {
		return
	}
	rec.SourceIP = r.RemoteAddr
	if host, _, err := net.SplitHostPort(rec.SourceIP); err == nil {
		rec.SourceIP = host
	}
	if signIn {
		rec.SignIn = describeSignIn(svc, rec.Operation, rec.Body, rec.Status, sw.head)
	}
	e.observer.Observe(rec)
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

// statusWriter records the status and size for the access log, and the
// AWS error code: from X-Amzn-ErrorType (JSON), or from the first bytes of
// an XML error body (Query, S3), which it keeps.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	// keep is how many bytes of the body to keep in head: set for
	// sign-ins (to tell tokens from a challenge) and XML errors.
	keep int
	head []byte
	code string
}

// xmlErrorHead is enough of an XML error to reach its <Code>: S3's comes
// first, Query's after <Type>.
const xmlErrorHead = 512

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
		if code >= 300 && code != http.StatusNotModified {
			h := s.ResponseWriter.Header()
			if t := h.Get("X-Amzn-ErrorType"); t != "" {
				// AWS allows "Code:namespace-URL"; the code is the first part.
				s.code, _, _ = strings.Cut(t, ":")
			} else if strings.Contains(h.Get("Content-Type"), "xml") {
				s.keep = xmlErrorHead
			}
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	if n := s.keep - len(s.head); n > 0 {
		s.head = append(s.head, b[:min(n, len(b))]...)
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// errorCode is the AWS error code answered, "" for a success.
func (s *statusWriter) errorCode(svc Service, method string) string {
	if s.code != "" || s.status < 300 || s.status == http.StatusNotModified {
		return s.code
	}
	if _, rest, ok := strings.Cut(string(s.head), "<Code>"); ok {
		if code, _, ok := strings.Cut(rest, "</Code>"); ok {
			return code
		}
	}
	if svc == S3 && method == http.MethodHead {
		// S3 answers HEAD errors without a body; SDKs name them by status.
		switch s.status {
		case http.StatusForbidden:
			return "AccessDenied"
		case http.StatusNotFound:
			return "NotFound"
		case http.StatusMovedPermanently:
			return "PermanentRedirect"
		case http.StatusPreconditionFailed:
			return "PreconditionFailed"
		}
		return "BadRequest"
	}
	return ""
}

// Flush lets streaming responses through.
func (s *statusWriter) Flush() {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
