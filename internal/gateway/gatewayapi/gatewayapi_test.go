package gatewayapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/smithy-go"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/gateway"
	"github.com/federa/federa/internal/gateway/gatewayapi"
	"github.com/federa/federa/internal/store/sqlstore"
)

// denyAll refuses every check, as a caller without policies gets.
type denyAll struct{}

func (denyAll) Authorize(context.Context, access.Check) (access.Decision, error) {
	return access.Decision{}, nil
}

// serve runs the handler behind a shim standing in for the edge: the
// X-Test-Caller header picks the principal (root, user, or none for an
// unsigned call). The edge's own SigV4 verification is covered by e2e.
func serve(t *testing.T) (*httptest.Server, *apigateway.Client) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "federa.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := gateway.New(st, gateway.Options{Region: "us-east-1", AccountID: "000000000000", Now: time.Now})
	h := gatewayapi.New(svc, denyAll{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &access.Principal{Kind: access.Root, Account: "000000000000", ARN: "arn:aws:iam::000000000000:root"}
		switch r.Header.Get("X-Test-Caller") {
		case "none":
			p = &access.Principal{Kind: access.Anonymous}
		case "user":
			p = &access.Principal{Kind: access.AssumedRole, Account: "000000000000", ARN: "arn:aws:sts::000000000000:assumed-role/r/s"}
		}
		h.ServeHTTP(w, r.WithContext(access.WithPrincipal(r.Context(), p)))
	}))
	t.Cleanup(srv.Close)
	gw := apigateway.New(apigateway.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		Retryer:     aws.NopRetryer{},
	})
	return srv, gw
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func wantAPIError(t *testing.T, err error, code, hint string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), hint) {
		t.Fatalf("err = %v, want %s saying %q", err, code, hint)
	}
}

// TestSDKRoundTrip drives every operation group with the SDK, so member
// names, list shapes and timestamps are what the SDK reads.
func TestSDKRoundTrip(t *testing.T) {
	_, gw := serve(t)
	ctx := context.Background()
	api := must[*apigateway.CreateRestApiOutput](t)(gw.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("notes"), Description: aws.String("d")}))
	if len(aws.ToString(api.Id)) != 10 || api.RootResourceId == nil || api.CreatedDate == nil || time.Since(*api.CreatedDate) > time.Minute {
		t.Fatalf("CreateRestApi = %+v", api)
	}
	id := api.Id
	res := must[*apigateway.GetResourcesOutput](t)(gw.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: id}))
	if len(res.Items) != 1 || aws.ToString(res.Items[0].Path) != "/" {
		t.Fatalf("GetResources = %+v", res.Items)
	}
	notes := must[*apigateway.CreateResourceOutput](t)(gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: id, ParentId: api.RootResourceId, PathPart: aws.String("notes")}))
	note := must[*apigateway.CreateResourceOutput](t)(gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: id, ParentId: notes.Id, PathPart: aws.String("{id}")}))
	if aws.ToString(note.Path) != "/notes/{id}" || aws.ToString(note.ParentId) != aws.ToString(notes.Id) {
		t.Errorf("CreateResource = %+v", note)
	}
	az := must[*apigateway.CreateAuthorizerOutput](t)(gw.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: id, Name: aws.String("pool"),
		Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc"}}))
	if aws.ToString(az.IdentitySource) != "method.request.header.Authorization" {
		t.Errorf("CreateAuthorizer = %+v", az)
	}
	m := must[*apigateway.PutMethodOutput](t)(gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: id, ResourceId: note.Id, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: az.Id, AuthorizationScopes: []string{"notes/read"}}))
	if aws.ToString(m.AuthorizerId) != aws.ToString(az.Id) || len(m.AuthorizationScopes) != 1 {
		t.Errorf("PutMethod = %+v", m)
	}
	ig := must[*apigateway.PutIntegrationOutput](t)(gw.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: id, ResourceId: note.Id, HttpMethod: aws.String("GET"),
		Type: types.IntegrationTypeHttpProxy, IntegrationHttpMethod: aws.String("GET"), Uri: aws.String("http://localhost:9000/notes/{id}")}))
	if ig.Type != types.IntegrationTypeHttpProxy || aws.ToString(ig.HttpMethod) != "GET" {
		t.Errorf("PutIntegration = %+v", ig)
	}
	gm := must[*apigateway.GetMethodOutput](t)(gw.GetMethod(ctx, &apigateway.GetMethodInput{RestApiId: id, ResourceId: note.Id, HttpMethod: aws.String("GET")}))
	if gm.MethodIntegration == nil || aws.ToString(gm.MethodIntegration.Uri) != "http://localhost:9000/notes/{id}" {
		t.Errorf("GetMethod = %+v", gm)
	}
	res = must[*apigateway.GetResourcesOutput](t)(gw.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: id}))
	if len(res.Items) != 3 || res.Items[2].ResourceMethods["GET"].AuthorizationType == nil {
		t.Errorf("GetResources after the methods: %+v", res.Items)
	}

	d := must[*apigateway.CreateDeploymentOutput](t)(gw.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: id, StageName: aws.String("prod")}))
	if d.Id == nil || d.CreatedDate == nil {
		t.Errorf("CreateDeployment = %+v", d)
	}
	must[*apigateway.CreateStageOutput](t)(gw.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: id, StageName: aws.String("dev"), DeploymentId: d.Id,
		Variables: map[string]string{"backend": "local"}}))
	st := must[*apigateway.UpdateStageOutput](t)(gw.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: id, StageName: aws.String("dev"),
		PatchOperations: []types.PatchOperation{
			{Op: types.OpReplace, Path: aws.String("/*/*/throttling/rateLimit"), Value: aws.String("10")},
			{Op: types.OpReplace, Path: aws.String("/*/*/throttling/burstLimit"), Value: aws.String("20")},
		}}))
	if ms := st.MethodSettings["*/*"]; ms.ThrottlingRateLimit != 10 || ms.ThrottlingBurstLimit != 20 || st.Variables["backend"] != "local" {
		t.Errorf("UpdateStage = %+v", st)
	}
	stages := must[*apigateway.GetStagesOutput](t)(gw.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: id}))
	if len(stages.Item) != 2 || aws.ToString(stages.Item[0].StageName) != "dev" || aws.ToString(stages.Item[1].DeploymentId) != aws.ToString(d.Id) {
		t.Errorf("GetStages = %+v", stages.Item)
	}
	deps := must[*apigateway.GetDeploymentsOutput](t)(gw.GetDeployments(ctx, &apigateway.GetDeploymentsInput{RestApiId: id}))
	if len(deps.Items) != 1 {
		t.Errorf("GetDeployments = %+v", deps.Items)
	}
	azs := must[*apigateway.GetAuthorizersOutput](t)(gw.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: id}))
	if len(azs.Items) != 1 || len(azs.Items[0].ProviderARNs) != 1 {
		t.Errorf("GetAuthorizers = %+v", azs.Items)
	}
	up := must[*apigateway.UpdateRestApiOutput](t)(gw.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: id, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/cors/allowOrigins"), Value: aws.String("http://localhost:3000")}}}))
	if aws.ToString(up.Name) != "notes" {
		t.Errorf("UpdateRestApi = %+v", up)
	}

	must[*apigateway.DeleteStageOutput](t)(gw.DeleteStage(ctx, &apigateway.DeleteStageInput{RestApiId: id, StageName: aws.String("dev")}))
	must[*apigateway.DeleteMethodOutput](t)(gw.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: id, ResourceId: note.Id, HttpMethod: aws.String("GET")}))
	must[*apigateway.DeleteResourceOutput](t)(gw.DeleteResource(ctx, &apigateway.DeleteResourceInput{RestApiId: id, ResourceId: notes.Id}))
	must[*apigateway.DeleteRestApiOutput](t)(gw.DeleteRestApi(ctx, &apigateway.DeleteRestApiInput{RestApiId: id}))
	_, err := gw.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: id})
	wantAPIError(t, err, "NotFoundException", "Invalid API identifier specified")
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("the SDK did not decode a *types.NotFoundException: %T", err)
	}
}

func TestGetRestApisPaging(t *testing.T) {
	_, gw := serve(t)
	ctx := context.Background()
	for _, n := range []string{"a", "b", "c"} {
		must[*apigateway.CreateRestApiOutput](t)(gw.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String(n)}))
	}
	seen := 0
	p := apigateway.NewGetRestApisPaginator(gw, &apigateway.GetRestApisInput{Limit: aws.Int32(2)})
	for p.HasMorePages() {
		page := must[*apigateway.GetRestApisOutput](t)(p.NextPage(ctx))
		seen += len(page.Items)
	}
	if seen != 3 {
		t.Errorf("paged through %d APIs, want 3", seen)
	}
	_, err := gw.GetRestApis(ctx, &apigateway.GetRestApisInput{Limit: aws.Int32(1000)})
	wantAPIError(t, err, "BadRequestException", "from 1 to 500")
}

func TestErrorsOnTheWire(t *testing.T) {
	srv, gw := serve(t)
	ctx := context.Background()
	api := must[*apigateway.CreateRestApiOutput](t)(gw.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("x")}))
	_, err := gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: api.RootResourceId, PathPart: aws.String("{proxy+}")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: api.RootResourceId, PathPart: aws.String("{proxy+}")})
	wantAPIError(t, err, "ConflictException", "already has this name")
	var ce *types.ConflictException
	if !errors.As(err, &ce) {
		t.Errorf("not a *types.ConflictException: %T", err)
	}
	_, err = gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: api.RootResourceId, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("CUSTOM")})
	wantAPIError(t, err, "BadRequestException", "Lambda authorizers")

	tests := []struct {
		name, caller, method, path, body string
		status                           int
		code                             string
	}{
		{"unsigned", "none", "GET", "/restapis", "", 403, "MissingAuthenticationTokenException"},
		{"denied", "user", "GET", "/restapis", "", 403, "AccessDeniedException"},
		{"no such operation", "root", "GET", "/restapis/x/models", "", 404, "NotFoundException"},
		{"bad json", "root", "POST", "/restapis", "{", 400, "BadRequestException"},
		{"create is 201", "root", "POST", "/restapis", `{"name":"y"}`, 201, ""},
		{"delete is 202", "root", "DELETE", "/restapis/" + aws.ToString(api.Id), "", 202, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("X-Test-Caller", tc.caller)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("X-Amzn-ErrorType") != tc.code {
				t.Errorf("%d %q %s, want %d %q", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body, tc.status, tc.code)
			}
			if tc.code != "" && !strings.HasPrefix(string(body), `{"message":`) {
				t.Errorf("error body %s", body)
			}
			if tc.code == "AccessDeniedException" && !strings.Contains(string(body), "apigateway:GET on resource: arn:aws:apigateway:us-east-1::/restapis") {
				t.Errorf("denial does not name the action and resource: %s", body)
			}
		})
	}
}
