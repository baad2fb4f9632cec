package demo

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/federa/federa/internal/app/apptest"
)

// TestSetupFollowsAppOrigin runs Setup twice on one server, as demo does
// when restarted with another --app-listen port: the second run finds the
// same resources and moves the client's URLs and the bucket's CORS origin.
func TestSetupFollowsAppOrigin(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	cfg := Config{Endpoint: srv.URL, Region: apptest.Region, AccountID: apptest.Account,
		AccessKeyID: apptest.Root.AccessKeyID, SecretAccessKey: apptest.Root.SecretAccessKey,
		AppOrigin: "http://localhost:3001", AuthBase: HostedUIBase(srv.URL, "localhost")}
	first, err := Setup(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	idp := cip.NewFromConfig(srv.RootConfig())
	s3c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	check := func(origin string) {
		t.Helper()
		c, err := idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &first.UserPoolID, ClientId: &first.ClientID})
		if err != nil {
			t.Fatal(err)
		}
		uc := c.UserPoolClient
		if !slices.Equal(uc.CallbackURLs, []string{origin}) || !slices.Equal(uc.LogoutURLs, []string{origin}) {
			t.Errorf("client URLs = %v / %v, want [%s]", uc.CallbackURLs, uc.LogoutURLs, origin)
		}
		if !slices.Contains(uc.AllowedOAuthFlows, ciptypes.OAuthFlowTypeImplicit) || !slices.Contains(uc.AllowedOAuthFlows, ciptypes.OAuthFlowTypeCode) ||
			!slices.Contains(uc.AllowedOAuthScopes, "openid") || !aws.ToBool(uc.AllowedOAuthFlowsUserPoolClient) {
			t.Errorf("client lost its OAuth settings: flows %v scopes %v", uc.AllowedOAuthFlows, uc.AllowedOAuthScopes)
		}
		cors, err := s3c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(Bucket)})
		if err != nil {
			t.Fatal(err)
		}
		if len(cors.CORSRules) != 1 || !slices.Equal(cors.CORSRules[0].AllowedOrigins, []string{origin}) {
			t.Errorf("bucket CORS = %+v, want the origin %s", cors.CORSRules, origin)
		}
		p, err := idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &first.UserPoolID})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(p.UserPool.AutoVerifiedAttributes, ciptypes.VerifiedAttributeTypeEmail) {
			t.Errorf("pool AutoVerifiedAttributes = %v: sign-up would send no code", p.UserPool.AutoVerifiedAttributes)
		}
	}
	check("http://localhost:3001")
	app := NewAppConfig(first)
	if app.RedirectURI != "http://localhost:3001" || app.Endpoint != srv.URL || app.ClientID != first.ClientID ||
		app.ProviderName != "cognito-idp."+apptest.Region+".amazonaws.com/"+first.UserPoolID {
		t.Errorf("app config = %+v", app)
	}

	cfg.AppOrigin = "http://localhost:3002"
	second, err := Setup(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if second.UserPoolID != first.UserPoolID || second.ClientID != first.ClientID || second.IdentityPoolID != first.IdentityPoolID {
		t.Errorf("second Setup made new resources: %+v vs %+v", second, first)
	}
	check("http://localhost:3002")
}
