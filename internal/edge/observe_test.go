package edge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/protocol/awsjson"
	"github.com/federa/federa/internal/protocol/awsquery"
	"github.com/federa/federa/internal/protocol/restxml"
)

// seen is an Observer that keeps what it is given.
type seen struct {
	mu   sync.Mutex
	reqs []*Request
}

func (s *seen) Observe(r *Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, r)
	s.mu.Unlock()
}

func (s *seen) last(t *testing.T) *Request {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		t.Fatal("nothing observed")
	}
	return s.reqs[len(s.reqs)-1]
}

// s3Stub answers like s3api: XML errors through restxml, a bare status on
// HEAD, and notes a denial as an authorizer would.
type s3Stub struct{}

func (s3Stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/denied") {
		NoteDenial(r.Context(), Denial{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/denied", Reason: "no statement allows s3:GetObject"})
		restxml.WriteError(w, r, awserr.Code("AccessDenied", http.StatusForbidden).New("Access Denied"))
		return
	}
	_, _ = w.Write([]byte("data"))
}

func (s3Stub) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	restxml.WriteError(w, r, err)
}

// Target names object reads as s3api does (its own test covers the rest):
// the edge takes the S3 endpoint's name for the operation.
func (s3Stub) Target(r *http.Request) (operation, bucket string) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case key != "" && r.Method == http.MethodGet:
		return "GetObject", bucket
	case key != "" && r.Method == http.MethodHead:
		return "HeadObject", bucket
	}
	return "unknown", bucket
}

func newObservedEdge(obs Observer) *Edge {
	json := &awsjson.Service{TargetPrefix: "AWSCognitoIdentityProviderService", Ops: awsjson.Table(
		awsjson.Op("InitiateAuth", awsjson.None, func(_ context.Context, in *struct{ AuthFlow string }) (*struct{}, error) {
			if in.AuthFlow == "USER_PASSWORD_AUTH" {
				return nil, awserr.Code("NotAuthorizedException", 400).New("Incorrect username or password.")
			}
			return &struct{}{}, nil
		}),
	)}
	query := &awsquery.Service{Namespace: "https://iam.amazonaws.com/doc/2010-05-08/", Ops: awsquery.Table()}
	return New(Options{
		Endpoints:   map[Service]Endpoint{S3: s3Stub{}, CognitoIDP: json, IAM: query},
		Credentials: noCreds{},
		Region:      "us-east-1",
		Observer:    obs,
		BaseDomains: []string{"localhost"},
	})
}

type noCreds struct{}

func (noCreds) Lookup(context.Context, string, string) (*access.Principal, string, error) {
	return nil, "", awserr.Code("InvalidAccessKeyId", 403).New("unknown key")
}

func TestMetricsObserverSeesOperationCodeAndDenial(t *testing.T) {
	obs := &seen{}
	e := newObservedEdge(obs)
	serve := func(r *http.Request) *Request {
		t.Helper()
		r.RemoteAddr = "192.0.2.7:5555"
		e.ServeHTTP(httptest.NewRecorder(), r)
		return obs.last(t)
	}

	got := serve(httptest.NewRequest(http.MethodGet, "/b/k", nil))
	if got.Service != S3 || got.Operation != "GetObject" || got.Status != 200 || got.Code != "" || got.Bucket != "b" ||
		got.SourceIP != "192.0.2.7" || got.ID == "" || got.Principal == nil || got.Principal.Kind != access.Anonymous || got.Bytes != 4 {
		t.Errorf("GetObject: %+v", got)
	}
	if _, ok := got.Denial(); ok {
		t.Error("a denial noted on an allowed request")
	}

	got = serve(httptest.NewRequest(http.MethodGet, "/b/denied", nil))
	d, ok := got.Denial()
	if got.Code != "AccessDenied" || got.Status != 403 || !ok || d.Resource != "arn:aws:s3:::b/denied" || d.Reason != "no statement allows s3:GetObject" {
		t.Errorf("denied GetObject: %+v %+v", got, d)
	}

	got = serve(httptest.NewRequest(http.MethodHead, "/b/denied", nil))
	if got.Code != "AccessDenied" || got.Operation != "HeadObject" {
		t.Errorf("HEAD has no body; the code comes from the status: %+v", got)
	}

	// A signed request with an unknown key: the key is recorded, no
	// principal, and the code is S3's.
	r := httptest.NewRequest(http.MethodGet, "/b/k", nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN000000000/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")
	r.Header.Set("X-Amz-Date", "20260101T000000Z")
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	got = serve(r)
	if got.AccessKeyID != "AKIAUNKNOWN000000000" || got.Principal != nil || got.Code != "InvalidAccessKeyId" {
		t.Errorf("unknown key: %+v", got)
	}

	jsonReq := func(target, body string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", target)
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		return r
	}
	got = serve(jsonReq("AWSCognitoIdentityProviderService.InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c"}`))
	if got.Operation != "InitiateAuth" || got.Code != "NotAuthorizedException" || got.SignIn == nil ||
		*got.SignIn != (SignIn{Flow: "USER_PASSWORD_AUTH", Result: "failure"}) {
		t.Errorf("failed sign-in: %+v %+v", got, got.SignIn)
	}
	got = serve(jsonReq("AWSCognitoIdentityProviderService.InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH"}`))
	if got.SignIn == nil || *got.SignIn != (SignIn{Flow: "USER_SRP_AUTH", Result: "challenge"}) {
		t.Errorf("SRP first step: %+v", got.SignIn)
	}
	// A target the service does not offer is not a label value.
	got = serve(jsonReq("AWSCognitoIdentityProviderService.Made-Up-By-A-Client", `{}`))
	if got.Operation != "unknown" || got.Code != "UnknownOperationException" {
		t.Errorf("unknown target: %+v", got)
	}

	form := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("Action=ListRoles&Version=2010-05-08"))
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	got = serve(form)
	if got.Service != IAM || got.Operation != "unknown" || got.Status < 300 || got.Code == "" {
		t.Errorf("unsigned IAM call to an empty table: %+v", got)
	}
}

func TestMetricsDescribeSignIn(t *testing.T) {
	for _, tc := range []struct {
		svc    Service
		op     string
		body   string
		status int
		head   string
		want   SignIn
	}{
		{CognitoIDP, "InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH"}`, 200, `{"AuthenticationResult":{`, SignIn{"USER_PASSWORD_AUTH", "success"}},
		{CognitoIDP, "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH"}`, 200, `{"ChallengeName":"PASSWORD_VERIFIER"`, SignIn{"USER_SRP_AUTH", "challenge"}},
		{CognitoIDP, "AdminRespondToAuthChallenge", `{"ChallengeName":"SOFTWARE_TOKEN_MFA"}`, 400, ``, SignIn{"SOFTWARE_TOKEN_MFA", "failure"}},
		{CognitoIDP, "InitiateAuth", `{"AuthFlow":"SOMETHING_NEW"}`, 200, ``, SignIn{"OTHER", "challenge"}},
		{CognitoIDP, "InitiateAuth", `not json`, 400, ``, SignIn{"OTHER", "failure"}},
		{HostedUI, "oauth2/token", `grant_type=authorization_code&code=x`, 200, ``, SignIn{"OAUTH2_AUTHORIZATION_CODE", "success"}},
		{HostedUI, "oauth2/token", `grant_type=password`, 400, ``, SignIn{"OTHER", "failure"}},
		{HostedUI, "login", `username=a&password=b`, 302, ``, SignIn{"HOSTED_UI", "success"}},
		{HostedUI, "login", `username=a&password=b`, 400, ``, SignIn{"HOSTED_UI", "failure"}},
		{HostedUI, "challenge", `code=1`, 200, ``, SignIn{"HOSTED_UI_CHALLENGE", "challenge"}},
	} {
		if got := describeSignIn(tc.svc, tc.op, []byte(tc.body), tc.status, []byte(tc.head)); *got != tc.want {
			t.Errorf("%s %s %s → %d: %+v, want %+v", tc.svc, tc.op, tc.body, tc.status, *got, tc.want)
		}
	}
}

func TestMetricsHostedOperation(t *testing.T) {
	for path, want := range map[string]string{
		"/_auth/mydomain/oauth2/token": "oauth2/token", "/oauth2/token": "oauth2/token", "/login": "login",
		"/_auth/d/oauth2/USERINFO": "oauth2/userInfo", "/_auth/d/": "root", "/random": "unknown",
	} {
		if got := hostedOperation(httptest.NewRequest(http.MethodGet, path, nil)); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
}

// TestProbesRouting: the bare /healthz and /readyz are answered only when
// the request cannot be S3's; /_federa/ always.
func TestHealthProbesRouting(t *testing.T) {
	failing := false
	probes := NewProbes(0, nil, Check{Name: "store", Fn: func(context.Context) error {
		if failing {
			return context.DeadlineExceeded
		}
		return nil
	}})
	e := New(Options{Endpoints: map[Service]Endpoint{S3: recorder{"s3"}}, Probes: probes, BaseDomains: []string{"localhost"}})
	get := func(method, target string, h map[string]string) (int, string, string) {
		r := httptest.NewRequest(method, target, nil)
		for k, v := range h {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		return w.Code, w.Body.String(), w.Header().Get("X-Served-By")
	}
	for _, tc := range []struct {
		method, target string
		header         map[string]string
		wantBody       string // "" when S3 must serve
	}{
		{"GET", "/healthz", nil, "ok\n"},
		{"HEAD", "/healthz", nil, "ok\n"},
		{"GET", "/readyz", nil, "ready\n"},
		{"GET", "/_federa/healthz", nil, "ok\n"},
		{"GET", "/_federa/readyz?verbose", nil, "ready\n"},
		{"GET", "/_federa/nothing", nil, "not found\n"},
		{"GET", "/_federa/metrics", nil, "not found\n"}, // no metrics on this listener
		{"POST", "/_federa/readyz", nil, "method not allowed\n"},
		{"GET", "/healthz?list-type=2", nil, ""},
		{"GET", "/healthz", map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=x"}, ""},
		{"PUT", "/healthz", nil, ""},
		{"GET", "/healthz/key", nil, ""},
		{"GET", "http://healthz.localhost/healthz", nil, ""}, // the key healthz of bucket healthz
	} {
		code, body, by := get(tc.method, tc.target, tc.header)
		if tc.wantBody == "" {
			if by != "s3" {
				t.Errorf("%s %s %v: answered %d %q, want S3", tc.method, tc.target, tc.header, code, body)
			}
			continue
		}
		if by != "" || (tc.method != "HEAD" && body != tc.wantBody) {
			t.Errorf("%s %s: %d %q by %q, want %q", tc.method, tc.target, code, body, by, tc.wantBody)
		}
	}
	failing = true
	if code, body, _ := get("GET", "/readyz", nil); code != 503 || body != "not ready: store\n" {
		t.Errorf("failing check: %d %q", code, body)
	}
	failing = false
	probes.Drain()
	if code, body, _ := get("GET", "/readyz", nil); code != 503 || body != "not ready: draining\n" {
		t.Errorf("draining: %d %q", code, body)
	}
	if code, _, _ := get("GET", "/healthz", nil); code != 200 {
		t.Errorf("healthz while draining: %d", code)
	}
}

// TestProbesCache: checks run once per period however many probes come.
func TestHealthProbesCache(t *testing.T) {
	runs := 0
	p := NewProbes(1<<62, nil, Check{Name: "x", Fn: func(context.Context) error { runs++; return nil }})
	for range 5 {
		if failed := p.Ready(context.Background()); len(failed) != 0 {
			t.Fatal(failed)
		}
	}
	if runs != 1 {
		t.Errorf("checks ran %d times, want 1", runs)
	}
}

func TestHealthOpsHandler(t *testing.T) {
	h := OpsHandler(NewProbes(0, nil), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("m 1\n")) }))
	for path, want := range map[string]string{"/metrics": "m 1\n", "/_federa/metrics": "m 1\n", "/healthz": "ok\n", "/readyz": "ready\n", "/other": "404 page not found\n"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Body.String() != want {
			t.Errorf("%s: %q, want %q", path, w.Body.String(), want)
		}
	}
}
