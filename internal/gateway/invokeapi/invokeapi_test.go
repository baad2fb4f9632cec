package invokeapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/gateway"
)

type oneAPI struct{ api *gateway.API }

func (o oneAPI) Get(context.Context, string) (*gateway.API, error) { return o.api, nil }

type allowAll struct{}

func (allowAll) Authorize(context.Context, access.Check) (access.Decision, error) {
	return access.Decision{Allowed: true}, nil
}

// handlerFor serves one API whose GET /{proxy+} goes to upstream with the
// given integration type and timeout.
func handlerFor(typ, upstream string, timeoutMS int) *Handler {
	res := map[string]*gateway.Resource{"p": {ID: "p", Path: "/{proxy+}", Methods: map[string]*gateway.Method{
		"ANY": {HTTPMethod: "ANY", AuthorizationType: gateway.AuthNone, Integration: &gateway.Integration{Type: typ, URI: upstream + "/x/{proxy}", TimeoutInMillis: timeoutMS}},
	}}}
	api := &gateway.API{ID: "a", Resources: res, Deployments: map[string]*gateway.Deployment{"d": {ID: "d", Resources: res}},
		Stages: map[string]*gateway.Stage{"s": {StageName: "s", DeploymentID: "d"}}}
	inv := gateway.NewInvoker(oneAPI{api}, allowAll{}, nil, gateway.InvokeOptions{Region: "us-east-1", AccountID: "000000000000"})
	return New(inv, Options{Target: func(r *http.Request) (Target, bool) {
		return Target{APIID: "a", Stage: "s", Path: strings.TrimPrefix(r.URL.Path, "/s")}, true
	}})
}

func serve(h http.Handler, method, path, body string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestIntegrationFailures(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/x/slow":
			time.Sleep(200 * time.Millisecond)
		case "/x/malformed":
			io.WriteString(w, `{"body":"no status"}`)
		case "/x/error":
			w.WriteHeader(500)
		default:
			io.WriteString(w, `{"statusCode":200,"multiValueHeaders":{"X-A":["1","2"]},"body":"ok"}`)
		}
	}))
	defer up.Close()
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/s/fine", 200, "ok"},
		{"/s/malformed", 502, `{"message":"Internal server error"}`},
		{"/s/error", 502, `{"message":"Internal server error"}`},
		{"/s/slow", 504, `{"message":"Endpoint request timed out"}`},
	} {
		w := serve(handlerFor(gateway.IntegrationAWSProxy, up.URL, 50), "GET", tc.path, "", nil)
		if w.Code != tc.status || w.Body.String() != tc.body {
			t.Errorf("%s: %d %s, want %d %s", tc.path, w.Code, w.Body, tc.status, tc.body)
		}
	}
	w := serve(handlerFor(gateway.IntegrationAWSProxy, up.URL, 0), "GET", "/s/fine", "", nil)
	if got := w.Result().Header["X-A"]; len(got) != 2 {
		t.Errorf("multiValueHeaders: %v", got)
	}
	w = serve(handlerFor(gateway.IntegrationHTTPProxy, "http://127.0.0.1:1", 0), "GET", "/s/any", "", nil)
	if w.Code != 502 {
		t.Errorf("unreachable upstream: %d %s", w.Code, w.Body)
	}
}

func TestHTTPProxyHeaders(t *testing.T) {
	var seen http.Header
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		w.Header().Set("Connection", "close")
		w.Header().Set("X-Up", "1")
		w.WriteHeader(418)
	}))
	defer up.Close()
	w := serve(handlerFor(gateway.IntegrationHTTPProxy, up.URL, 0), "GET", "/s/a", "", map[string]string{
		"X-Federa-Cognito-Identity-Id": "forged", "Keep-Alive": "x", "X-Custom": "kept"})
	if w.Code != 418 || w.Header().Get("X-Up") != "1" {
		t.Fatalf("answer %d %v", w.Code, w.Header())
	}
	if seen.Get("X-Federa-Cognito-Identity-Id") != "" || seen.Get("Keep-Alive") != "" || seen.Get("X-Custom") != "kept" || seen.Get("X-Federa-Source-Ip") == "" {
		t.Errorf("upstream saw %v", seen)
	}
}

func TestBodyLimit(t *testing.T) {
	h := handlerFor(gateway.IntegrationHTTPProxy, "http://127.0.0.1:1", 0)
	r := httptest.NewRequest("POST", "/s/a", strings.NewReader(strings.Repeat("x", MaxBody+1)))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("11 MB body: %d %s", w.Code, w.Body)
	}
}
