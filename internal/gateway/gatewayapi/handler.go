package gatewayapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/gateway"
	"github.com/federa/federa/internal/protocol/restjson"
)

// Handler is the apigateway endpoint; it implements the edge's Endpoint
// (ServeHTTP and WriteError).
type Handler struct {
	svc    *gateway.Service
	authz  access.Authorizer
	routes []route
}

// route is one operation: its method, its path pattern ("{name}" segments
// capture) and what serves it.
type route struct {
	method string
	segs   []string
	name   string
	fn     func(ctx context.Context, c *call) (status int, body any, err error)
}

// call is one request as an operation sees it.
type call struct {
	r      *http.Request
	params map[string]string
}

func (c *call) p(name string) string { return c.params[name] }

// New returns the apigateway endpoint. Every operation needs a signed
// caller whose policies allow apigateway:<HTTP method> on
// arn:aws:apigateway:<region>::<path>, the actions and resources AWS
// defines for the management API
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-iam-policy-examples-for-management.html).
func New(svc *gateway.Service, authz access.Authorizer) *Handler {
	h := &Handler{svc: svc, authz: authz}
	h.routes = h.table()
	return h
}

func (h *Handler) add(routes *[]route, method, pattern, name string, fn func(context.Context, *call) (int, any, error)) {
	*routes = append(*routes, route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), name: name, fn: fn})
}

// HasOperation reports whether name is one of the operations served, so
// the edge can label metrics with it.
func (h *Handler) HasOperation(name string) bool {
	for _, rt := range h.routes {
		if rt.name == name {
			return true
		}
	}
	return false
}

// Operation names the operation a request asks for ("" when none matches).
func (h *Handler) Operation(r *http.Request) string {
	if rt, _, ok := h.match(r); ok {
		return rt.name
	}
	return ""
}

// match finds the route of r and the values of its "{name}" segments.
func (h *Handler) match(r *http.Request) (route, map[string]string, bool) {
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	for _, rt := range h.routes {
		if rt.method != r.Method || len(rt.segs) != len(segs) {
			continue
		}
		params, ok := map[string]string{}, true
		for i, s := range rt.segs {
			if strings.HasPrefix(s, "{") {
				v, err := url.PathUnescape(segs[i])
				if err != nil || v == "" {
					ok = false
					break
				}
				params[s[1:len(s)-1]] = v
			} else if s != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return rt, params, true
		}
	}
	return route{}, nil, false
}

// ServeHTTP authorizes and serves one management call.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, params, ok := h.match(r)
	if !ok {
		h.WriteError(w, r, gateway.ErrNotFound.New("No API Gateway operation is %s %s; federa serves the REST API, resource, method, integration, authorizer, deployment and stage operations", r.Method, r.URL.Path))
		return
	}
	ctx := r.Context()
	err := access.Require(ctx, h.authz, "apigateway:"+r.Method, h.svc.ARN(r.URL.Path),
		restjson.ErrMissingAuth.New("Missing Authentication Token"),
		func(msg string) error { return restjson.ErrAccessDenied.New("%s", msg) })
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	status, body, err := rt.fn(ctx, &call{r: r, params: params})
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	restjson.SetHeaders(w, r)
	if body == nil {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		h.WriteError(w, r, err)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// maxBody bounds a management request's JSON (API Gateway's own limit for
// an API definition is 10 MB; no call here comes near it).
const maxBody = 1 << 20

// decode reads the JSON body into v; an empty body leaves v as it is.
func decode(c *call, v any) error {
	b, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody+1))
	if err != nil {
		return err
	}
	if len(b) > maxBody {
		return gateway.ErrBadRequest.New("Request body too large: at most %d bytes", maxBody)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return gateway.ErrBadRequest.New("Could not parse request body into json: %v", err)
	}
	return nil
}

// paging reads the position and limit query parameters of a list call.
func paging(c *call) (string, int, error) {
	q := c.r.URL.Query()
	limit := 0
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return "", 0, gateway.ErrBadRequest.New("Invalid limit %q: give a whole number from 1 to 500", s)
		}
		limit = n
	}
	return q.Get("position"), limit, nil
}
