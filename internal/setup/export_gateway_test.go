package setup

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// TestExportRoute checks that a route apply puts comes back from export as
// the file wrote it: defaults left out, the authorizer by name.
func TestExportRoute(t *testing.T) {
	timeout := 5000
	for _, r := range []Route{
		{Method: "POST", Path: "/notes", Auth: "AWS_IAM", Integration: RouteIntegration{Type: "AWS_PROXY", URI: "http://127.0.0.1:8080"}},
		{Method: "GET", Path: "/notes/{id}", Auth: "COGNITO_USER_POOLS", Authorizer: "users", Scopes: []string{"notes/read"},
			Integration: RouteIntegration{Type: "HTTP_PROXY", URI: "http://h/notes/{id}", TimeoutMillis: &timeout}},
		{Method: "ANY", Path: "/{proxy+}", Integration: RouteIntegration{Type: "HTTP_PROXY", URI: "http://h/{proxy}", HTTPMethod: "GET"}},
		{Method: "OPTIONS", Path: "/", Integration: RouteIntegration{Type: "MOCK"}},
	} {
		// The method as API Gateway describes it after apply's PutMethod
		// and PutIntegration.
		m := types.Method{AuthorizationType: aws.String(or(r.Auth, "NONE")), AuthorizationScopes: r.Scopes,
			MethodIntegration: &types.Integration{Type: types.IntegrationType(r.Integration.Type), Uri: nonEmpty(r.Integration.URI),
				HttpMethod: nonEmpty(integrationMethod(r)), TimeoutInMillis: defaultTimeout}}
		if r.Authorizer != "" {
			m.AuthorizerId = aws.String("az1")
		}
		if r.Integration.TimeoutMillis != nil {
			m.MethodIntegration.TimeoutInMillis = int32(*r.Integration.TimeoutMillis)
		}
		if got := exportRoute(r.Path, r.Method, m, map[string]string{"az1": "users"}); !reflect.DeepEqual(got, r) {
			t.Errorf("exportRoute = %+v, want %+v", got, r)
		}
	}
}

// TestAPIRef checks that an exported API's id inside an execute-api ARN
// becomes a reference, and nothing else does.
func TestAPIRef(t *testing.T) {
	e := &exporter{apiNames: map[string]string{"abc123": "notes-api"}}
	for in, want := range map[string]string{
		"arn:aws:execute-api:us-east-1:*:abc123/*":            "arn:aws:execute-api:us-east-1:*:${restApi:notes-api}/*",
		"arn:aws:execute-api:us-east-1:000000000000:abc123":   "arn:aws:execute-api:us-east-1:000000000000:${restApi:notes-api}",
		"arn:aws:execute-api:us-east-1:*:zzz999/*":            "arn:aws:execute-api:us-east-1:*:zzz999/*",
		"arn:aws:s3:::abc123/*":                               "arn:aws:s3:::abc123/*",
		"arn:aws:execute-api:*:*:abc123/prod/GET/notes/$${x}": "arn:aws:execute-api:*:*:${restApi:notes-api}/prod/GET/notes/$${x}",
	} {
		if got := e.apiRef(in); got != want {
			t.Errorf("apiRef(%q) = %q, want %q", in, got, want)
		}
	}
}
