package invokeapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/gateway"
)

// hopByHop are the headers a proxy must not forward (RFC 9110 §7.6.1),
// plus Host, which is the upstream's.
var hopByHop = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Content-Length"}

// signatureHeaders carry an AWS_IAM caller's signature; they are the
// caller's credentials for federa, not for the upstream.
var signatureHeaders = []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"}

// lambdaProxy POSTs the proxy event to the handler and answers its proxy
// result.
func (h *Handler) lambdaProxy(w http.ResponseWriter, r *http.Request, p *gateway.Plan, req *gateway.InvokeRequest, body []byte) {
	proto := "HTTP/1.1"
	if r.ProtoMajor == 2 {
		proto = "HTTP/2.0"
	}
	ev := h.inv.BuildEvent(p, req, gateway.EventInput{FullPath: r.URL.Path, DomainName: r.Host, Protocol: proto, Body: body})
	evBody, err := json.Marshal(ev)
	if err != nil {
		h.WriteError(w, r, gateway.ErrInternal(err))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), p.Timeout)
	defer cancel()
	up, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, bytesReader(evBody))
	if err != nil {
		h.WriteError(w, r, gateway.ErrIntegration(err))
		return
	}
	up.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(up)
	if err != nil {
		h.WriteError(w, r, upstreamError(ctx, err))
		return
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		h.WriteError(w, r, upstreamError(ctx, err))
		return
	}
	if len(raw) > MaxBody {
		h.WriteError(w, r, gateway.ErrIntegration(errBodyTooLarge))
		return
	}
	if resp.StatusCode/100 != 2 {
		// A Lambda that failed: API Gateway answers 502.
		h.WriteError(w, r, gateway.ErrIntegration(&statusError{resp.StatusCode}))
		return
	}
	res, err := gateway.ParseProxyResult(raw)
	if err != nil {
		h.WriteError(w, r, gateway.ErrIntegration(err))
		return
	}
	hd := w.Header()
	for k, v := range res.Headers {
		hd.Set(k, v)
	}
	for k, vs := range res.MultiValueHeaders {
		hd.Del(k)
		for _, v := range vs {
			hd.Add(k, v)
		}
	}
	for _, k := range hopByHop {
		hd.Del(k)
	}
	if hd.Get("Content-Type") == "" {
		hd.Set("Content-Type", "application/json")
	}
	hd.Set("Content-Length", strconv.Itoa(len(res.Body)))
	w.WriteHeader(res.StatusCode)
	if r.Method != http.MethodHead {
		_, _ = w.Write(res.Body)
	}
}

// httpProxy forwards the request to the upstream with the caller's
// identity in X-Federa-* headers and streams the answer back.
func (h *Handler) httpProxy(w http.ResponseWriter, r *http.Request, p *gateway.Plan, req *gateway.InvokeRequest, body []byte) {
	target, err := url.Parse(p.URL)
	if err != nil {
		h.WriteError(w, r, gateway.ErrIntegration(err))
		return
	}
	// The caller's query joins the URI's own, as API Gateway passes
	// method.request.querystring through in a proxy integration.
	if r.URL.RawQuery != "" {
		if target.RawQuery != "" {
			target.RawQuery += "&"
		}
		target.RawQuery += r.URL.RawQuery
	}
	method := r.Method
	if m := p.Integration.HTTPMethod; m != "" && m != "ANY" {
		method = m
	}
	ctx, cancel := context.WithTimeout(r.Context(), p.Timeout)
	defer cancel()
	up, err := http.NewRequestWithContext(ctx, method, target.String(), bytesReader(body))
	if err != nil {
		h.WriteError(w, r, gateway.ErrIntegration(err))
		return
	}
	up.Header = r.Header.Clone()
	for _, k := range hopByHop {
		up.Header.Del(k)
	}
	for k := range up.Header {
		if strings.HasPrefix(k, gateway.HeaderPrefix) {
			up.Header.Del(k) // only federa says who called
		}
	}
	if p.Method.AuthorizationType == gateway.AuthIAM {
		for _, k := range signatureHeaders {
			up.Header.Del(k)
		}
	}
	for k, v := range gateway.IdentityHeaders(p, req.RequestID) {
		up.Header.Set(k, v)
	}
	up.Header.Add("X-Forwarded-For", req.SourceIP)
	up.Header.Set("X-Forwarded-Host", r.Host)
	resp, err := h.client.Do(up)
	if err != nil {
		h.WriteError(w, r, upstreamError(ctx, err))
		return
	}
	defer resp.Body.Close()
	hd := w.Header()
	for k, vs := range resp.Header {
		hd[k] = append(hd[k][:0:0], vs...)
	}
	for _, k := range hopByHop[:len(hopByHop)-1] { // keep Content-Length
		hd.Del(k)
	}
	for k, v := range p.CORS {
		hd.Set(k, v)
	}
	w.WriteHeader(resp.StatusCode)
	// Streamed: a large download is not held in memory. A failure now
	// can only cut the answer short.
	if _, err := io.Copy(flushWriter{w}, resp.Body); err != nil {
		h.log.Warn("invoke: upstream answer cut short", "request_id", req.RequestID, "error", err)
	}
}

// flushWriter flushes after each write, so a streamed answer reaches the
// caller as the upstream sends it.
type flushWriter struct{ w http.ResponseWriter }

func (f flushWriter) Write(b []byte) (int, error) {
	n, err := f.w.Write(b)
	if fl, ok := f.w.(http.Flusher); ok {
		fl.Flush()
	}
	return n, err
}

type statusError struct{ status int }

func (e *statusError) Error() string { return "upstream answered " + strconv.Itoa(e.status) }

var errBodyTooLarge = &gateway.InvokeError{Status: http.StatusBadGateway, Message: "proxy result over 10 MB"}
