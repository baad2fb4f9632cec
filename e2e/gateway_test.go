package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/federa/federa/internal/app/apptest"
)

// gwRecorder is a user's upstream: it keeps the last request's headers,
// path and body, and answers as told.
type gwRecorder struct {
	mu     sync.Mutex
	header http.Header
	uri    string
	body   []byte
	answer string
}

func (g *gwRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	g.header, g.uri, g.body = r.Header.Clone(), r.URL.RequestURI(), b
	answer := g.answer
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, answer)
}

func (g *gwRecorder) last() (http.Header, string, []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	h, u, b := g.header, g.uri, g.body
	g.header, g.uri, g.body = nil, "", nil
	return h, u, b
}

// gwAnswer is what the gateway answered.
type gwAnswer struct {
	status int
	header http.Header
	body   string
}

// gwCall calls an invoke URL. host, when set, is the Host header (the
// host form, reached on the test listener); creds sign the request with
// SigV4 for execute-api, as aws-amplify's API.post does.
func gwCall(t *testing.T, srv *apptest.Server, method, rawURL, host, body string, creds *aws.Credentials, header map[string]string) gwAnswer {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	must(t, err)
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if creds != nil {
		sum := sha256.Sum256([]byte(body))
		must(t, v4.NewSigner().SignHTTP(context.Background(), *creds, req, hex.EncodeToString(sum[:]), "execute-api", apptest.Region, srv.Clock.Now()))
	}
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return gwAnswer{resp.StatusCode, resp.Header, string(b)}
}

// TestGatewayNotesApp is issue 10's "Done when": seeds 000/002's notes
// API behind the gateway, built with API Gateway's own SDK client, called
// by signed-in users with their identity pool credentials.
func TestGatewayNotesApp(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	srv := w.srv
	lambda := &gwRecorder{answer: `{"statusCode":201,"headers":{"X-Handler":"notes"},"body":"{\"noteId\":\"1\"}"}`}
	lambdaSrv := httptest.NewServer(lambda)
	t.Cleanup(lambdaSrv.Close)
	plain := &gwRecorder{answer: `{"plain":true}`}
	plainSrv := httptest.NewServer(plain)
	t.Cleanup(plainSrv.Close)

	// The API, as a tool would create it through API Gateway's API.
	gw := apigateway.NewFromConfig(srv.RootConfig())
	api, err := gw.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("notes")})
	must(t, err)
	apiID := aws.ToString(api.Id)
	res, err := gw.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: &apiID})
	must(t, err)
	rootID := aws.ToString(res.Items[0].Id)
	child := func(parent, part string) string {
		r, err := gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: &apiID, ParentId: &parent, PathPart: &part})
		must(t, err)
		return aws.ToString(r.Id)
	}
	notes := child(rootID, "notes")
	note := child(notes, "{id}")
	files := child(child(rootID, "files"), "{proxy+}")
	az, err := gw.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: &apiID, Name: aws.String("notes-pool"),
		Type:           agtypes.AuthorizerTypeCognitoUserPools,
		ProviderARNs:   []string{"arn:aws:cognito-idp:" + apptest.Region + ":" + apptest.Account + ":userpool/" + w.userPoolID},
		IdentitySource: aws.String("method.request.header.Authorization")})
	must(t, err)
	route := func(resource, method string, auth string, authorizer *string, typ agtypes.IntegrationType, uri string) {
		_, err := gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: &apiID, ResourceId: &resource, HttpMethod: &method,
			AuthorizationType: aws.String(auth), AuthorizerId: authorizer})
		must(t, err)
		_, err = gw.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: &apiID, ResourceId: &resource, HttpMethod: &method,
			Type: typ, IntegrationHttpMethod: aws.String("POST"), Uri: &uri})
		must(t, err)
	}
	route(notes, "POST", "AWS_IAM", nil, agtypes.IntegrationTypeAwsProxy, lambdaSrv.URL+"/notes")
	route(note, "GET", "COGNITO_USER_POOLS", az.Id, agtypes.IntegrationTypeAwsProxy, lambdaSrv.URL+"/notes")
	// PUT /notes/{id} wants an access token with the user pool's own scope.
	_, err = gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: &apiID, ResourceId: &note, HttpMethod: aws.String("PUT"),
		AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: az.Id, AuthorizationScopes: []string{"aws.cognito.signin.user.admin"}})
	must(t, err)
	_, err = gw.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: &apiID, ResourceId: &note, HttpMethod: aws.String("PUT"),
		Type: agtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(lambdaSrv.URL + "/notes")})
	must(t, err)
	_, err = gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: &apiID, ResourceId: &files, HttpMethod: aws.String("ANY"), AuthorizationType: aws.String("AWS_IAM")})
	must(t, err)
	_, err = gw.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: &apiID, ResourceId: &files, HttpMethod: aws.String("ANY"),
		Type: agtypes.IntegrationTypeHttpProxy, IntegrationHttpMethod: aws.String("ANY"), Uri: aws.String(plainSrv.URL + "/up/{proxy}")})
	must(t, err)
	_, err = gw.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: &apiID, PatchOperations: []agtypes.PatchOperation{
		{Op: agtypes.OpReplace, Path: aws.String("/cors/allowOrigins"), Value: aws.String("https://notes.example")},
		{Op: agtypes.OpReplace, Path: aws.String("/cors/allowHeaders"), Value: aws.String("authorization,content-type")},
	}})
	must(t, err)
	dep, err := gw.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: &apiID, StageName: aws.String("prod")})
	must(t, err)
	// A second stage of the same deployment, throttled hard below.
	_, err = gw.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: &apiID, StageName: aws.String("limited"), DeploymentId: dep.Id})
	must(t, err)

	// Seeds 000/002: the authenticated role may invoke the app's API.
	_, err = iam.NewFromConfig(srv.RootConfig()).PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("Cognito_notesAuth_Role"),
		PolicyName: aws.String("notes-api"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke",` +
			`"Resource":"arn:aws:execute-api:` + apptest.Region + `:*:` + apiID + `/*"}]}`)})
	must(t, err)
	idToken := w.signIn(t, "alice")
	identityID, creds := w.credentialsFor(t, w.identityPoolID, idToken)
	_, readerCreds := w.credentialsFor(t, w.readOnlyPoolID, idToken)

	pathURL := srv.URL + "/_aws/execute-api/" + apiID + "/prod"
	u, _ := url.Parse(srv.URL)
	hostForm := apiID + ".execute-api.localhost:" + u.Port()
	body := `{"content":"hello world","attachment":"hello.jpg"}`

	t.Run("signed POST /notes reaches the handler with the identity id", func(t *testing.T) {
		for _, form := range []struct{ url, host string }{{pathURL + "/notes", ""}, {srv.URL + "/prod/notes", hostForm}} {
			a := gwCall(t, srv, "POST", form.url, form.host, body, &creds, map[string]string{"Content-Type": "application/json"})
			if a.status != http.StatusCreated || a.body != `{"noteId":"1"}` || a.header.Get("X-Handler") != "notes" {
				t.Fatalf("%s (host %q): %d %s", form.url, form.host, a.status, a.body)
			}
			_, _, raw := lambda.last()
			var ev struct {
				Resource, Path, HTTPMethod, Body string
				RequestContext                   struct {
					Stage, ResourcePath string
					Identity            struct {
						CognitoIdentityID, CognitoIdentityPoolID, CognitoAuthenticationType, CognitoAuthenticationProvider, UserArn, Caller, SourceIP string
					}
				}
			}
			must(t, json.Unmarshal(raw, &ev))
			id := ev.RequestContext.Identity
			if id.CognitoIdentityID != identityID || id.CognitoIdentityPoolID != w.identityPoolID || id.CognitoAuthenticationType != "authenticated" {
				t.Errorf("identity = %+v, want identity %s of pool %s", id, identityID, w.identityPoolID)
			}
			if !strings.HasPrefix(id.CognitoAuthenticationProvider, w.provider()+","+w.provider()+":CognitoSignIn:") {
				t.Errorf("cognitoAuthenticationProvider = %q", id.CognitoAuthenticationProvider)
			}
			if !strings.Contains(id.UserArn, ":assumed-role/Cognito_notesAuth_Role/") || id.SourceIP == "" {
				t.Errorf("userArn %q sourceIp %q", id.UserArn, id.SourceIP)
			}
			if ev.Resource != "/notes" || ev.Path != "/notes" || ev.HTTPMethod != "POST" || ev.Body != body || ev.RequestContext.Stage != "prod" {
				t.Errorf("event = %s", raw)
			}
		}
	})

	t.Run("unsigned is Missing Authentication Token", func(t *testing.T) {
		a := gwCall(t, srv, "POST", pathURL+"/notes", "", body, nil, nil)
		if a.status != http.StatusForbidden || a.body != `{"message":"Missing Authentication Token"}` {
			t.Errorf("unsigned: %d %s", a.status, a.body)
		}
		if a := gwCall(t, srv, "GET", pathURL+"/nowhere", "", "", &creds, nil); a.status != http.StatusForbidden || a.body != `{"message":"Missing Authentication Token"}` {
			t.Errorf("unknown path: %d %s", a.status, a.body)
		}
	})

	t.Run("a role without execute-api:Invoke is refused", func(t *testing.T) {
		a := gwCall(t, srv, "POST", pathURL+"/notes", "", body, &readerCreds, nil)
		if a.status != http.StatusForbidden || a.header.Get("X-Amzn-ErrorType") != "AccessDeniedException" ||
			!strings.Contains(a.body, `is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:`+apptest.Region+`:`+apptest.Account+`:`+apiID+`/prod/POST/notes`) {
			t.Errorf("reader: %d %v %s", a.status, a.header.Get("X-Amzn-ErrorType"), a.body)
		}
		bad := creds
		bad.SecretAccessKey = "wrong" + bad.SecretAccessKey
		if a := gwCall(t, srv, "POST", pathURL+"/notes", "", body, &bad, nil); a.status != http.StatusForbidden || !strings.Contains(a.body, "signature") {
			t.Errorf("bad signature: %d %s", a.status, a.body)
		}
	})

	t.Run("HTTP_PROXY gets the identity headers", func(t *testing.T) {
		a := gwCall(t, srv, "PUT", pathURL+"/files/a/b.txt?x=1", "", "bytes", &creds, nil)
		if a.status != http.StatusOK || a.body != `{"plain":true}` {
			t.Fatalf("PUT /files/a/b.txt: %d %s", a.status, a.body)
		}
		h, uri, b := plain.last()
		if uri != "/up/a/b.txt?x=1" || string(b) != "bytes" {
			t.Errorf("upstream saw %s %q", uri, b)
		}
		if h.Get("X-Federa-Cognito-Identity-Id") != identityID || h.Get("X-Federa-Cognito-Identity-Pool-Id") != w.identityPoolID ||
			!strings.Contains(h.Get("X-Federa-User-Arn"), "Cognito_notesAuth_Role") || h.Get("Authorization") != "" || h.Get("X-Amz-Security-Token") != "" {
			t.Errorf("upstream headers = %v", h)
		}
	})

	t.Run("CORS", func(t *testing.T) {
		a := gwCall(t, srv, "OPTIONS", pathURL+"/notes", "", "", nil, map[string]string{"Origin": "https://notes.example", "Access-Control-Request-Method": "POST",
			"Access-Control-Request-Headers": "authorization"})
		if a.status != http.StatusNoContent || a.header.Get("Access-Control-Allow-Origin") != "https://notes.example" || a.header.Get("Access-Control-Allow-Headers") == "" {
			t.Errorf("preflight: %d %v", a.status, a.header)
		}
		a = gwCall(t, srv, "POST", pathURL+"/notes", "", body, &creds, map[string]string{"Origin": "https://notes.example"})
		if a.status != http.StatusCreated || a.header.Get("Access-Control-Allow-Origin") != "https://notes.example" {
			t.Errorf("actual response: %d %v", a.status, a.header)
		}
	})

	t.Run("throttling answers 429", func(t *testing.T) {
		_, err := gw.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: &apiID, StageName: aws.String("limited"), PatchOperations: []agtypes.PatchOperation{
			{Op: agtypes.OpReplace, Path: aws.String("/*/*/throttling/rateLimit"), Value: aws.String("0.01")},
			{Op: agtypes.OpReplace, Path: aws.String("/*/*/throttling/burstLimit"), Value: aws.String("2")},
		}})
		must(t, err)
		var codes []int
		for range 4 {
			codes = append(codes, gwCall(t, srv, "POST", srv.URL+"/_aws/execute-api/"+apiID+"/limited/notes", "", body, nil, nil).status)
		}
		if codes[0] != http.StatusForbidden || codes[1] != http.StatusForbidden || codes[3] != http.StatusTooManyRequests {
			t.Errorf("statuses = %v, want 403 403 then 429", codes)
		}
		if a := gwCall(t, srv, "POST", pathURL+"/notes", "", body, nil, nil); a.status != http.StatusForbidden {
			t.Errorf("prod is throttled with limited: %d %s", a.status, a.body)
		}
		a := gwCall(t, srv, "POST", srv.URL+"/_aws/execute-api/"+apiID+"/limited/notes", "", body, nil, nil)
		if a.body != `{"message":"Too Many Requests"}` {
			t.Errorf("throttled body %s", a.body)
		}
	})
	t.Run("COGNITO_USER_POOLS takes a valid ID token and refuses an expired one", func(t *testing.T) {
		a := gwCall(t, srv, "GET", pathURL+"/notes/42", "", "", nil, map[string]string{"Authorization": idToken})
		if a.status != http.StatusCreated {
			t.Fatalf("with an ID token: %d %s", a.status, a.body)
		}
		_, _, raw := lambda.last()
		var ev struct {
			PathParameters map[string]string
			RequestContext struct {
				Authorizer struct{ Claims map[string]string }
			}
		}
		must(t, json.Unmarshal(raw, &ev))
		if ev.PathParameters["id"] != "42" || ev.RequestContext.Authorizer.Claims["cognito:username"] != "alice" || ev.RequestContext.Authorizer.Claims["sub"] == "" {
			t.Errorf("event = %s", raw)
		}
		if a := gwCall(t, srv, "GET", pathURL+"/notes/42", "", "", nil, map[string]string{"Authorization": "Bearer " + idToken}); a.status != http.StatusCreated {
			t.Errorf("Bearer ID token: %d %s", a.status, a.body)
		}
		if a := gwCall(t, srv, "GET", pathURL+"/notes/42", "", "", nil, nil); a.status != http.StatusUnauthorized || a.body != `{"message":"Unauthorized"}` {
			t.Errorf("no token: %d %s", a.status, a.body)
		}
		auth, err := cip.NewFromConfig(srv.Config(aws.AnonymousCredentials{})).InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: &w.clientID, AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
		must(t, err)
		access := aws.ToString(auth.AuthenticationResult.AccessToken)
		if a := gwCall(t, srv, "PUT", pathURL+"/notes/42", "", "{}", nil, map[string]string{"Authorization": access}); a.status != http.StatusCreated {
			t.Errorf("access token with the method's scope: %d %s", a.status, a.body)
		}
		if a := gwCall(t, srv, "PUT", pathURL+"/notes/42", "", "{}", nil, map[string]string{"Authorization": idToken}); a.status != http.StatusUnauthorized {
			t.Errorf("ID token where scopes are required: %d %s", a.status, a.body)
		}
		srv.Clock.Advance(2 * time.Hour)
		if a := gwCall(t, srv, "GET", pathURL+"/notes/42", "", "", nil, map[string]string{"Authorization": idToken}); a.status != http.StatusUnauthorized {
			t.Errorf("expired ID token: %d %s", a.status, a.body)
		}
	})

}
