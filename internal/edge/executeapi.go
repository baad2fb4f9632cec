package edge

import (
	"context"
	"net"
	"net/http"
	"strings"
)

// Invoke URLs of the gateway's APIs come in two forms, those LocalStack
// users know:
//
//	http://<apiId>.execute-api.<base domain>[:port]/<stage>/<path>
//	http://<any host>/_aws/execute-api/<apiId>/<stage>/<path>
//
// The second cannot shadow a bucket: bucket names have no '_'. Both are
// fixed routes (STYLE.md's first detection step), checked before any
// signature is looked at, since an invoke may be signed (AWS_IAM, scope
// execute-api) or not (NONE, COGNITO_USER_POOLS).

// ExecuteAPIPathPrefix starts the path form of an invoke URL.
const ExecuteAPIPathPrefix = "/_aws/execute-api/"

// maxInvokeBody is API Gateway's payload quota (10 MB); a signed invoke's
// body is read whole to verify its hash.
const maxInvokeBody = 10 << 20

// InvokeTarget is what an invoke URL names.
type InvokeTarget struct {
	APIID, Stage string
	// Path is the decoded path below the stage, starting with "/".
	Path string
}

type invokeKey struct{}

// InvokeTargetFrom returns the invoke target the edge found for the
// request in ctx.
func InvokeTargetFrom(ctx context.Context) (InvokeTarget, bool) {
	t, ok := ctx.Value(invokeKey{}).(InvokeTarget)
	return t, ok
}

// invokeTarget recognises an invoke URL in either form.
func invokeTarget(r *http.Request, bases []string) (InvokeTarget, bool) {
	if rest, ok := strings.CutPrefix(r.URL.Path, ExecuteAPIPathPrefix); ok {
		api, rest, _ := strings.Cut(rest, "/")
		if api == "" {
			return InvokeTarget{}, false
		}
		t := stagePath(rest)
		t.APIID = api
		return t, true
	}
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	for _, b := range bases {
		if api, ok := strings.CutSuffix(host, ".execute-api."+b); ok && api != "" && !strings.Contains(api, ".") {
			t := stagePath(strings.TrimPrefix(r.URL.Path, "/"))
			t.APIID = api
			return t, true
		}
	}
	return InvokeTarget{}, false
}

// stagePath splits "stage/rest/of/path" into the stage and "/rest/of/path".
func stagePath(s string) InvokeTarget {
	stage, rest, _ := strings.Cut(s, "/")
	return InvokeTarget{Stage: stage, Path: "/" + rest}
}

// claimsSigV4 reports whether r presents itself as SigV4-signed: an
// Authorization header of the AWS4-HMAC-SHA256 scheme, or presigned query
// parameters. Any other Authorization (a user pool token for
// COGNITO_USER_POOLS methods) is the route's business.
func claimsSigV4(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-") || r.URL.Query().Has("X-Amz-Credential") || r.URL.Query().Has("X-Amz-Signature")
}
