package invokeapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/gateway"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

// MaxBody is API Gateway's payload quota: 10 MB for requests (and, here,
// for a proxy result).
const MaxBody = 10 << 20

// Target is an invoke URL's API, stage and path below the stage.
type Target struct {
	APIID, Stage, Path string
}

// Options configure the handler.
type Options struct {
	// Target finds the invoke target of a request (the edge found it).
	Target func(*http.Request) (Target, bool)
	// Client calls upstreams (a client that follows no redirect, as API
	// Gateway's HTTP integrations, when nil).
	Client *http.Client
	// Logger receives integration failures (slog.Default when nil).
	Logger *slog.Logger
}

// Handler serves invoke requests; it is an edge.Endpoint.
type Handler struct {
	inv    *gateway.Invoker
	target func(*http.Request) (Target, bool)
	client *http.Client
	log    *slog.Logger
}

// New builds the handler.
func New(inv *gateway.Invoker, o Options) *Handler {
	h := &Handler{inv: inv, target: o.Target, client: o.Client, log: o.Logger}
	if h.client == nil {
		h.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	return h
}

// ServeHTTP answers one invoke request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t, ok := h.target(r)
	if !ok {
		h.WriteError(w, r, &gateway.InvokeError{Status: http.StatusNotFound, ErrorType: "NotFoundException", Message: "Not Found"})
		return
	}
	ctx := r.Context()
	hdr := r.Header.Clone()
	hdr.Set("Host", r.Host)
	req := &gateway.InvokeRequest{
		APIID: t.APIID, Stage: t.Stage, Method: r.Method, Path: t.Path,
		Header: hdr, Query: r.URL.Query(), Principal: access.FromContext(ctx),
		SourceIP: sourceIP(r), RequestID: reqid.From(ctx),
	}
	plan, err := h.inv.Prepare(ctx, req)
	if plan != nil {
		for k, v := range plan.CORS {
			w.Header().Set(k, v)
		}
	}
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	if plan.Preflight != nil {
		for k, v := range plan.Preflight {
			w.Header().Set(k, v)
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	body, err := readBody(r)
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	switch plan.Integration.Type {
	case gateway.IntegrationMock:
		w.WriteHeader(http.StatusOK)
	case gateway.IntegrationAWSProxy:
		h.lambdaProxy(w, r, plan, req, body)
	case gateway.IntegrationHTTPProxy:
		h.httpProxy(w, r, plan, req, body)
	default:
		h.WriteError(w, r, gateway.ErrIntegration(errors.New("unsupported integration type "+plan.Integration.Type)))
	}
}

// readBody reads the request body within the payload quota.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength > MaxBody {
		return nil, gateway.ErrBodyTooLarge()
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, &gateway.InvokeError{Status: http.StatusBadRequest, Message: "Could not read the request body", Cause: err}
	}
	if len(b) > MaxBody {
		return nil, gateway.ErrBodyTooLarge()
	}
	return b, nil
}

func sourceIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// WriteError answers err as API Gateway does: an *InvokeError as it is; a
// signature failure (the edge verifies them) as 403 with the verifier's
// message; a request too large as 413; anything else, logged, as 500.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var ie *gateway.InvokeError
	switch {
	case errors.As(err, &ie):
	case sigv4.MessageOf(err) != "":
		ie = gateway.ErrSignature(sigv4.MessageOf(err), err)
	default:
		if e, ok := awserr.As(err); ok && e.Status == http.StatusRequestEntityTooLarge {
			ie = gateway.ErrBodyTooLarge()
		} else if ok && e.Status < 500 {
			ie = &gateway.InvokeError{Status: e.Status, ErrorType: e.Code, Message: e.Message}
		} else {
			ie = gateway.ErrInternal(err)
		}
	}
	if ie.Status >= 500 {
		h.log.Warn("invoke failed", "request_id", reqid.From(r.Context()), "status", ie.Status, "error", err)
	}
	body := ie.Body()
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	if ie.ErrorType != "" {
		hd.Set("X-Amzn-ErrorType", ie.ErrorType)
	}
	if id := reqid.From(r.Context()); id != "" {
		hd.Set("X-Amzn-RequestId", id)
	}
	w.WriteHeader(ie.Status)
	_, _ = w.Write(body)
}

// upstreamError turns a failed upstream call into 504 (the integration's
// timeout passed) or 502.
func upstreamError(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return gateway.ErrIntegrationTimeout(err)
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Timeout() {
		return gateway.ErrIntegrationTimeout(err)
	}
	return gateway.ErrIntegration(err)
}

// bytesReader gives a body with a known length to an upstream request.
func bytesReader(b []byte) io.Reader {
	if len(b) == 0 {
		return http.NoBody
	}
	return bytes.NewReader(b)
}
