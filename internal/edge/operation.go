package edge

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/federa/federa/internal/protocol/awsjson"
	"github.com/federa/federa/internal/protocol/awsquery"
)

// unknownOp names an operation the service does not offer. Operation names
// become metric labels, so only names from the services' own tables (or
// s3api's and the hosted UI's fixed lists) are let through.
const unknownOp = "unknown"

// operationTable is implemented by endpoints that can say which operations
// they serve; awsjson and awsquery services are recognised by type.
type operationTable interface {
	HasOperation(name string) bool
}

// knownOp reports whether ep serves the operation name.
func knownOp(ep Endpoint, name string) bool {
	if name == "" {
		return false
	}
	switch s := ep.(type) {
	case *awsjson.Service:
		_, ok := s.Ops[name]
		return ok
	case *awsquery.Service:
		_, ok := s.Ops[name]
		return ok
	case operationTable:
		return s.HasOperation(name)
	}
	return false
}

// jsonOperation is the operation of an X-Amz-Target, e.g. InitiateAuth.
func jsonOperation(r *http.Request, ep Endpoint) string {
	t := r.Header.Get("X-Amz-Target")
	if i := strings.LastIndexByte(t, '.'); i >= 0 && knownOp(ep, t[i+1:]) {
		return t[i+1:]
	}
	return unknownOp
}

// queryOperation is the Action of a Query request, from the URL or the
// form body the edge read.
func queryOperation(r *http.Request, ep Endpoint, action string, body []byte) string {
	if action == "" {
		action = formValue(r.URL.RawQuery, "Action")
	}
	if action == "" && body != nil {
		action = formValue(string(body), "Action")
	}
	if knownOp(ep, action) {
		return action
	}
	return unknownOp
}

// formValue returns the first value of name in a URL-encoded form, without
// building the whole url.Values map.
func formValue(form, name string) string {
	for form != "" {
		var pair string
		pair, form, _ = strings.Cut(form, "&")
		k, v, _ := strings.Cut(pair, "=")
		if k != name {
			continue
		}
		if u, err := url.QueryUnescape(v); err == nil {
			return u
		}
		return v
	}
	return ""
}

// s3Targeter is the S3 endpoint, which names its own operations (s3api
// routes; the edge only labels).
type s3Targeter interface {
	Target(r *http.Request) (operation, bucket string)
}

// hostBucket returns the bucket a virtual-host style Host names, or "".
func hostBucket(host string, bases []string) string {
	if len(bases) == 0 {
		return ""
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, base := range bases {
		if b, ok := strings.CutSuffix(host, "."+base); ok && b != "" {
			return b
		}
	}
	return ""
}

// hostedOps are the hosted UI's endpoints, by path after the domain.
var hostedOps = map[string]string{
	"/": "root", "/static/style.css": "style", "/login": "login", "/challenge": "challenge", "/signup": "signup",
	"/confirmUser": "confirmUser", "/resendCode": "resendCode", "/forgotPassword": "forgotPassword",
	"/confirmForgotPassword": "confirmForgotPassword", "/logout": "logout", "/oauth2/authorize": "oauth2/authorize",
	"/oauth2/token": "oauth2/token", "/oauth2/revoke": "oauth2/revoke",
	"/.well-known/openid-configuration": "openid-configuration", "/.well-known/jwks.json": "jwks",
}

// hostedOperation names a hosted UI request by its endpoint, for both the
// host form (<domain>.auth.<base>/login) and the path form
// (/_auth/<domain>/login).
func hostedOperation(r *http.Request) string {
	p := r.URL.Path
	if rest, ok := strings.CutPrefix(p, "/_auth/"); ok {
		_, p, _ = strings.Cut(rest, "/")
		p = "/" + p
	}
	if op, ok := hostedOps[p]; ok {
		return op
	}
	if strings.EqualFold(p, "/oauth2/userInfo") {
		return "oauth2/userInfo"
	}
	return unknownOp
}

// wellKnownOperation names an OpenID discovery request.
func wellKnownOperation(r *http.Request) string {
	switch {
	case strings.HasSuffix(r.URL.Path, "/jwks.json"):
		return "GetJWKS"
	case strings.HasSuffix(r.URL.Path, "/openid-configuration"):
		return "GetOpenIDConfiguration"
	}
	return unknownOp
}
