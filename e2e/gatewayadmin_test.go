package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// TestGatewayAdmin builds the notes API of seed 002 through API Gateway's
// management API with the SDK's client, signed with the root key (SigV4
// scope "apigateway"), then lists, updates and deletes it, and checks the
// refusals: their codes and that their messages say what to fix.
func TestGatewayAdmin(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	gw := apigateway.NewFromConfig(w.srv.RootConfig())

	api, err := gw.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("notes"), Description: aws.String("seed 002")})
	must(t, err)
	id := api.Id
	res, err := gw.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: id})
	must(t, err)
	if len(res.Items) != 1 || aws.ToString(res.Items[0].Path) != "/" || aws.ToString(res.Items[0].Id) != aws.ToString(api.RootResourceId) {
		t.Fatalf("a new API's resources: %+v", res.Items)
	}
	notes, err := gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: id, ParentId: api.RootResourceId, PathPart: aws.String("notes")})
	must(t, err)
	note, err := gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: id, ParentId: notes.Id, PathPart: aws.String("{id}")})
	must(t, err)
	if aws.ToString(note.Path) != "/notes/{id}" {
		t.Errorf("path %q", aws.ToString(note.Path))
	}

	poolARN := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + w.userPoolID
	az, err := gw.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: id, Name: aws.String("notes-users"),
		Type: agtypes.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{poolARN}})
	must(t, err)

	for _, verb := range []string{"GET", "POST"} {
		_, err = gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: id, ResourceId: notes.Id, HttpMethod: aws.String(verb), AuthorizationType: aws.String("AWS_IAM")})
		must(t, err)
		_, err = gw.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: id, ResourceId: notes.Id, HttpMethod: aws.String(verb),
			Type: agtypes.IntegrationTypeAwsProxy, Uri: aws.String("http://127.0.0.1:9/notes-handler")})
		must(t, err)
	}
	_, err = gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: id, ResourceId: note.Id, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: az.Id})
	must(t, err)
	_, err = gw.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: id, ResourceId: note.Id, HttpMethod: aws.String("GET"),
		Type: agtypes.IntegrationTypeHttpProxy, IntegrationHttpMethod: aws.String("GET"), Uri: aws.String("http://127.0.0.1:9/notes/{id}")})
	must(t, err)

	dep, err := gw.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: id, StageName: aws.String("prod")})
	must(t, err)
	_, err = gw.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: id, StageName: aws.String("dev"), DeploymentId: dep.Id})
	must(t, err)
	st, err := gw.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: id, StageName: aws.String("dev"), PatchOperations: []agtypes.PatchOperation{
		{Op: agtypes.OpReplace, Path: aws.String("/*/*/throttling/rateLimit"), Value: aws.String("5")},
		{Op: agtypes.OpReplace, Path: aws.String("/*/*/throttling/burstLimit"), Value: aws.String("10")},
	}})
	must(t, err)
	if ms := st.MethodSettings["*/*"]; ms.ThrottlingRateLimit != 5 || ms.ThrottlingBurstLimit != 10 {
		t.Errorf("stage throttling %+v", st.MethodSettings)
	}
	got, err := gw.GetStage(ctx, &apigateway.GetStageInput{RestApiId: id, StageName: aws.String("prod")})
	must(t, err)
	if aws.ToString(got.DeploymentId) != aws.ToString(dep.Id) {
		t.Errorf("prod serves %q, want %q", aws.ToString(got.DeploymentId), aws.ToString(dep.Id))
	}

	list, err := gw.GetRestApis(ctx, &apigateway.GetRestApisInput{})
	must(t, err)
	if len(list.Items) != 1 || aws.ToString(list.Items[0].Name) != "notes" {
		t.Errorf("GetRestApis %+v", list.Items)
	}

	// Refusals, as API Gateway gives them, with messages that say what to fix.
	_, err = gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: id, ParentId: api.RootResourceId, PathPart: aws.String("notes")})
	wantCode(t, err, "ConflictException")
	_, err = gw.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: id, ResourceId: notes.Id, HttpMethod: aws.String("GET"),
		Type: agtypes.IntegrationTypeAwsProxy, Uri: aws.String("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:notes/invocations")})
	wantCode(t, err, "BadRequestException")
	wantMessage(t, err, "URL of your handler")
	_, err = gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: id, ResourceId: note.Id, HttpMethod: aws.String("PUT"), AuthorizationType: aws.String("CUSTOM")})
	wantCode(t, err, "BadRequestException")
	_, err = gw.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: id, StageName: aws.String("prod"), DeploymentId: dep.Id})
	wantCode(t, err, "ConflictException")
	_, err = gw.GetStage(ctx, &apigateway.GetStageInput{RestApiId: id, StageName: aws.String("nope")})
	wantCode(t, err, "NotFoundException")

	// Identity-pool credentials whose role has no apigateway:* are refused.
	_, creds := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	_, err = apigateway.NewFromConfig(w.sessionConfig(creds)).GetRestApis(ctx, &apigateway.GetRestApisInput{})
	wantCode(t, err, "AccessDeniedException")
	wantMessage(t, err, "apigateway:GET")
	// An unsigned call is refused before any operation.
	resp, err := http.Get(w.srv.URL + "/restapis")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Errorf("an unsigned GET /restapis answered 200")
	}

	_, err = gw.DeleteRestApi(ctx, &apigateway.DeleteRestApiInput{RestApiId: id})
	must(t, err)
	_, err = gw.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: id})
	wantCode(t, err, "NotFoundException")
	_, err = gw.DeleteRestApi(ctx, &apigateway.DeleteRestApiInput{RestApiId: id})
	wantCode(t, err, "NotFoundException")
}

func wantMessage(t *testing.T, err error, hint string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), hint) {
		t.Errorf("error %v does not say %q", err, hint)
	}
}
