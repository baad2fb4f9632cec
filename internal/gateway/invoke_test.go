package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
)

type fakeAPIs map[string]*API

func (f fakeAPIs) Get(_ context.Context, id string) (*API, error) {
	if a := f[id]; a != nil {
		return a, nil
	}
	return nil, awserr.Code("NotFoundException", 404).New("Invalid API identifier specified")
}

// allowPrefix allows execute-api:Invoke on resources starting with prefix.
type allowPrefix struct {
	prefix string
	last   *access.Check
}

func (a *allowPrefix) Authorize(_ context.Context, c access.Check) (access.Decision, error) {
	a.last = &c
	return access.Decision{Allowed: c.Action == "execute-api:Invoke" && strings.HasPrefix(c.Resource, a.prefix)}, nil
}

type fakeTokens struct{}

func (fakeTokens) VerifyIDToken(_ context.Context, pool, token string) (TokenClaims, error) {
	if token != "id-"+pool {
		return TokenClaims{}, fmt.Errorf("%w: not ours", ErrInvalidToken)
	}
	return TokenClaims{Subject: "sub-1", Claims: map[string]any{"sub": "sub-1", "cognito:username": "alice", "exp": float64(1700000000)}}, nil
}

func (fakeTokens) VerifyAccessToken(_ context.Context, pool, token string) (TokenClaims, error) {
	if !strings.HasPrefix(token, "access-"+pool) {
		return TokenClaims{}, fmt.Errorf("%w: not ours", ErrInvalidToken)
	}
	return TokenClaims{Subject: "sub-1", Scopes: strings.Fields(strings.TrimPrefix(token, "access-"+pool)), Claims: map[string]any{"sub": "sub-1"}}, nil
}

func testAPI() *API {
	integ := &Integration{Type: IntegrationAWSProxy, URI: "http://up/notes/{id}"}
	res := map[string]*Resource{
		"n": {ID: "n", Path: "/notes", Methods: map[string]*Method{
			"POST": {HTTPMethod: "POST", AuthorizationType: AuthIAM, Integration: integ},
		}},
		"ni": {ID: "ni", Path: "/notes/{id}", Methods: map[string]*Method{
			"GET": {HTTPMethod: "GET", AuthorizationType: AuthCognito, AuthorizerID: "az", Integration: integ},
			"PUT": {HTTPMethod: "PUT", AuthorizationType: AuthCognito, AuthorizerID: "az", AuthorizationScopes: []string{"notes/write"}, Integration: integ},
		}},
		"o": {ID: "o", Path: "/open", Methods: map[string]*Method{"ANY": {HTTPMethod: "ANY", AuthorizationType: AuthNone, Integration: integ}}},
	}
	az := map[string]*Authorizer{"az": {ID: "az", Type: AuthCognito, ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_pool"}}}
	return &API{ID: "api1", Resources: res,
		Deployments: map[string]*Deployment{"d1": {ID: "d1", Resources: res, Authorizers: az}},
		Stages:      map[string]*Stage{"prod": {StageName: "prod", DeploymentID: "d1", Variables: map[string]string{"v": "1"}}},
		CORS:        &CORS{AllowOrigins: []string{"https://app.example"}, AllowHeaders: []string{"Authorization"}, MaxAge: 60},
	}
}

func session() *access.Principal {
	return &access.Principal{Kind: access.AssumedRole, Account: "000000000000", ARN: "arn:aws:sts::000000000000:assumed-role/auth/CognitoIdentityCredentials",
		UserID: "AROA1:CognitoIdentityCredentials", AccessKeyID: "ASIA1", Context: map[string][]string{
			"cognito-identity.amazonaws.com:sub": {"us-east-1:ident"},
			"cognito-identity.amazonaws.com:aud": {"us-east-1:ipool"},
			"cognito-identity.amazonaws.com:amr": {"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool", "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool:CognitoSignIn:sub-1"},
		}}
}

func TestPrepare(t *testing.T) {
	anon := &access.Principal{Kind: access.Anonymous}
	for _, tc := range []struct {
		name      string
		req       InvokeRequest
		allow     string
		status    int
		errorType string
		message   string
	}{
		{name: "unknown api", req: InvokeRequest{APIID: "nope", Stage: "prod", Method: "GET", Path: "/"}, status: 404, message: "Not Found"},
		{name: "unknown stage", req: InvokeRequest{APIID: "api1", Stage: "dev", Method: "GET", Path: "/open"}, status: 403, message: "Forbidden"},
		{name: "unknown path", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "GET", Path: "/nothing"}, status: 403, message: "Missing Authentication Token"},
		{name: "none", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "DELETE", Path: "/open", Principal: anon}},
		{name: "iam unsigned", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "POST", Path: "/notes", Principal: anon}, status: 403, message: "Missing Authentication Token"},
		{name: "iam allowed", allow: "arn:aws:execute-api:us-east-1:000000000000:api1/", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "POST", Path: "/notes", Principal: session()}},
		{name: "iam denied", allow: "arn:aws:execute-api:us-east-1:000000000000:other/", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "POST", Path: "/notes", Principal: session()},
			status: 403, errorType: "AccessDeniedException",
			message: "User: arn:aws:sts::000000000000:assumed-role/auth/CognitoIdentityCredentials is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:api1/prod/POST/notes"},
		{name: "cognito no token", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "GET", Path: "/notes/1"}, status: 401, message: "Unauthorized"},
		{name: "cognito bad token", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "GET", Path: "/notes/1", Header: map[string][]string{"Authorization": {"junk"}}}, status: 401, message: "Unauthorized"},
		{name: "cognito id token", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "GET", Path: "/notes/1", Header: map[string][]string{"Authorization": {"id-us-east-1_pool"}}}},
		{name: "cognito bearer", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "GET", Path: "/notes/1", Header: map[string][]string{"Authorization": {"Bearer id-us-east-1_pool"}}}},
		{name: "scopes: id token refused", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "PUT", Path: "/notes/1", Header: map[string][]string{"Authorization": {"id-us-east-1_pool"}}}, status: 401, message: "Unauthorized"},
		{name: "scopes: wrong scope", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "PUT", Path: "/notes/1", Header: map[string][]string{"Authorization": {"access-us-east-1_pool openid"}}}, status: 403},
		{name: "scopes: right scope", req: InvokeRequest{APIID: "api1", Stage: "prod", Method: "PUT", Path: "/notes/1", Header: map[string][]string{"Authorization": {"access-us-east-1_pool openid notes/write"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iv := NewInvoker(fakeAPIs{"api1": testAPI()}, &allowPrefix{prefix: tc.allow}, fakeTokens{}, InvokeOptions{Region: "us-east-1", AccountID: "000000000000"})
			p, err := iv.Prepare(context.Background(), &tc.req)
			if tc.status == 0 {
				if err != nil {
					t.Fatalf("Prepare: %v", err)
				}
				if p.URL == "" {
					t.Fatal("no integration URL")
				}
				return
			}
			e, ok := err.(*InvokeError)
			if !ok {
				t.Fatalf("err = %v, want an *InvokeError", err)
			}
			if e.Status != tc.status || (tc.message != "" && e.Message != tc.message) || (tc.errorType != "" && e.ErrorType != tc.errorType) {
				t.Fatalf("got %d %s %q, want %d %s %q", e.Status, e.ErrorType, e.Message, tc.status, tc.errorType, tc.message)
			}
		})
	}
}

func TestPreflightAndCORS(t *testing.T) {
	iv := NewInvoker(fakeAPIs{"api1": testAPI()}, &allowPrefix{}, fakeTokens{}, InvokeOptions{})
	p, err := iv.Prepare(context.Background(), &InvokeRequest{APIID: "api1", Stage: "prod", Method: "OPTIONS", Path: "/notes",
		Header: map[string][]string{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"POST"}}})
	if err != nil || p.Preflight["Access-Control-Allow-Origin"] != "https://app.example" || p.Preflight["Access-Control-Max-Age"] != "60" {
		t.Fatalf("preflight = %v, %v", p, err)
	}
	p, _ = iv.Prepare(context.Background(), &InvokeRequest{APIID: "api1", Stage: "prod", Method: "OPTIONS", Path: "/notes",
		Header: map[string][]string{"Origin": {"https://evil.example"}, "Access-Control-Request-Method": {"POST"}}})
	if _, ok := p.Preflight["Access-Control-Allow-Origin"]; ok {
		t.Fatalf("an unlisted origin was allowed: %v", p.Preflight)
	}
	p, err = iv.Prepare(context.Background(), &InvokeRequest{APIID: "api1", Stage: "prod", Method: "GET", Path: "/open",
		Header: map[string][]string{"Origin": {"https://app.example"}}})
	if err != nil || p.CORS["Access-Control-Allow-Origin"] != "https://app.example" {
		t.Fatalf("CORS = %v, %v", p.CORS, err)
	}
}

func TestThrottle(t *testing.T) {
	var th throttles
	now := time.Unix(0, 0)
	for i := range 3 {
		if !th.allow("a", 1, 3, now) {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	if th.allow("a", 1, 3, now) {
		t.Fatal("the fourth request in the same instant passed a burst of 3")
	}
	if !th.allow("b", 1, 3, now) {
		t.Fatal("stages share a bucket")
	}
	if th.allow("a", 1, 3, now.Add(500*time.Millisecond)) {
		t.Fatal("half a token was enough")
	}
	if !th.allow("a", 1, 3, now.Add(time.Second)) {
		t.Fatal("the bucket did not refill at 1/s")
	}
	if !th.allow("a", 0, 0, now) {
		t.Fatal("no limit refused")
	}
}

func TestBuildEvent(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	iv := NewInvoker(fakeAPIs{"api1": testAPI()}, &allowPrefix{prefix: "arn:"}, fakeTokens{}, InvokeOptions{Region: "us-east-1", AccountID: "000000000000", Now: func() time.Time { return now }})
	req := &InvokeRequest{APIID: "api1", Stage: "prod", Method: "POST", Path: "/notes", Principal: session(), SourceIP: "10.0.0.1", RequestID: "rid",
		Header: map[string][]string{"Content-Type": {"application/json"}, "X-Multi": {"a", "b"}}, Query: map[string][]string{"q": {"1", "2"}}}
	p, err := iv.Prepare(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	ev := iv.BuildEvent(p, req, EventInput{FullPath: "/prod/notes", Body: []byte(`{"content":"x"}`)})
	b, _ := json.Marshal(ev)
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	rc := got["requestContext"].(map[string]any)
	id := rc["identity"].(map[string]any)
	for k, want := range map[string]any{
		"cognitoIdentityId": "us-east-1:ident", "cognitoIdentityPoolId": "us-east-1:ipool", "cognitoAuthenticationType": "authenticated",
		"cognitoAuthenticationProvider": "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool,cognito-idp.us-east-1.amazonaws.com/us-east-1_pool:CognitoSignIn:sub-1",
		"userArn":                       "arn:aws:sts::000000000000:assumed-role/auth/CognitoIdentityCredentials", "caller": "AROA1:CognitoIdentityCredentials",
		"accountId": "000000000000", "accessKey": "ASIA1", "sourceIp": "10.0.0.1",
	} {
		if id[k] != want {
			t.Errorf("identity.%s = %v, want %v", k, id[k], want)
		}
	}
	for k, want := range map[string]any{"resourcePath": "/notes", "stage": "prod", "apiId": "api1", "path": "/prod/notes", "requestId": "rid", "accountId": "000000000000", "httpMethod": "POST"} {
		if rc[k] != want {
			t.Errorf("requestContext.%s = %v, want %v", k, rc[k], want)
		}
	}
	if got["body"] != `{"content":"x"}` || got["isBase64Encoded"] != false || got["resource"] != "/notes" || got["path"] != "/notes" {
		t.Errorf("event = %s", b)
	}
	if ev.Headers["X-Multi"] != "b" || len(ev.MultiValueHeaders["X-Multi"]) != 2 || ev.QueryStringParameters["q"] != "2" {
		t.Errorf("headers/query = %v %v %v", ev.Headers, ev.MultiValueHeaders, ev.QueryStringParameters)
	}
	if ev.StageVariables["v"] != "1" || ev.PathParameters != nil {
		t.Errorf("stageVariables %v pathParameters %v", ev.StageVariables, ev.PathParameters)
	}
	bin := iv.BuildEvent(p, req, EventInput{Body: []byte{0xff, 0}})
	if !bin.IsBase64Encoded || *bin.Body != "/wA=" {
		t.Errorf("binary body = %v %q", bin.IsBase64Encoded, *bin.Body)
	}
}

func TestParseProxyResult(t *testing.T) {
	r, err := ParseProxyResult([]byte(`{"statusCode":201,"headers":{"A":"b"},"body":"aGk=","isBase64Encoded":true}`))
	if err != nil || r.StatusCode != 201 || string(r.Body) != "hi" || r.Headers["A"] != "b" {
		t.Fatalf("got %+v, %v", r, err)
	}
	for _, bad := range []string{``, `[]`, `{}`, `{"statusCode":"x"}`, `{"statusCode":99}`, `{"statusCode":200,"body":"!","isBase64Encoded":true}`} {
		if _, err := ParseProxyResult([]byte(bad)); err == nil {
			t.Errorf("ParseProxyResult(%q) accepted", bad)
		}
	}
}
