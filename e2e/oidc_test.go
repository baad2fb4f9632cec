package e2e

import (
	"bytes"
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/oidc/oidctest"
)

// TestExternalOIDCProvider federates with an OpenID Connect provider
// started inside the test: its token gets an identity, the identity gets
// credentials, the credentials write to S3; STS AssumeRoleWithWebIdentity
// takes the provider's tokens directly; forged, expired and foreign tokens
// get nothing, and a rotated key is picked up.
func TestExternalOIDCProvider(t *testing.T) {
	ctx := context.Background()
	idp := oidctest.New(t)
	srv := apptest.NewServerWith(t, func(o *app.Options) { o.OIDCHTTPClient = idp.Client })
	root := srv.RootConfig()
	iamc, idc := iam.NewFromConfig(root), ci.NewFromConfig(root)
	u, _ := url.Parse(idp.Issuer)
	name := u.Host

	created, err := iamc.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(idp.Issuer), ClientIDList: []string{"my-app"},
		ThumbprintList: []string{"9999999999999999999999999999999999999999"}})
	must(t, err)
	providerARN := aws.ToString(created.OpenIDConnectProviderArn)
	if providerARN != "arn:aws:iam::"+apptest.Account+":oidc-provider/"+name {
		t.Errorf("provider ARN %s", providerARN)
	}
	got, err := iamc.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &providerARN})
	must(t, err)
	if aws.ToString(got.Url) != name || len(got.ClientIDList) != 1 {
		t.Errorf("GetOpenIDConnectProvider = %s %v", aws.ToString(got.Url), got.ClientIDList)
	}
	if _, err := iamc.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(idp.Issuer)}); !isCode(err, "EntityAlreadyExists") {
		t.Errorf("the same provider twice: %v", err)
	}
	if _, err := iamc.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("http://idp.example.com")}); !isCode(err, "InvalidInput") {
		t.Errorf("an http provider: %v", err)
	}

	// An identity pool that trusts the provider.
	if _, err := idc.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("x"),
		OpenIdConnectProviderARNs: []string{"arn:aws:iam::" + apptest.Account + ":oidc-provider/nope.example.com"}}); !isCode(err, "InvalidParameterException") {
		t.Errorf("an unregistered provider: %v", err)
	}
	pool, err := idc.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("partners"), OpenIdConnectProviderARNs: []string{providerARN}})
	must(t, err)
	poolID := aws.ToString(pool.IdentityPoolId)
	role, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("partners"), AssumeRolePolicyDocument: aws.String(trustPolicy(poolID))})
	must(t, err)
	_, err = iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("partners"), PolicyName: aws.String("own"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::partners/${cognito-identity.amazonaws.com:sub}/*"}}`)})
	must(t, err)
	_, err = idc.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &poolID, Roles: map[string]string{"authenticated": aws.ToString(role.Role.Arn)}})
	must(t, err)
	_, err = s3.NewFromConfig(root, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("partners")})
	must(t, err)

	now := time.Now()
	token := func(mod func(map[string]any)) string {
		c := map[string]any{"iss": idp.Issuer, "aud": "my-app", "sub": "partner-7", "exp": srv.Clock.Now().Add(time.Hour).Unix(), "iat": now.Unix()}
		if mod != nil {
			mod(c)
		}
		return idp.Token(t, c)
	}
	anon := ci.NewFromConfig(srv.Config(aws.AnonymousCredentials{}))
	credentials := func(tok string) (string, aws.Credentials, error) {
		logins := map[string]string{name: tok}
		id, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &poolID, Logins: logins})
		if err != nil {
			return "", aws.Credentials{}, err
		}
		out, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
		if err != nil {
			return "", aws.Credentials{}, err
		}
		c := out.Credentials
		return aws.ToString(id.IdentityId), aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretKey, SessionToken: *c.SessionToken}, nil
	}
	identity, creds, err := credentials(token(nil))
	must(t, err)
	bucket := s3.NewFromConfig(srv.Config(credentialsProvider(creds)), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := bucket.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("partners"), Key: aws.String(identity + "/hello.txt"), Body: bytes.NewReader([]byte("hi"))}); err != nil {
		t.Errorf("the partner's own prefix: %v", err)
	}
	if again, _, err := credentials(token(nil)); err != nil || again != identity {
		t.Errorf("the same subject again: %s %v, want %s", again, err, identity)
	}
	for _, tt := range []struct {
		name  string
		token string
	}{
		{"another audience", token(func(c map[string]any) { c["aud"] = "someone-else" })},
		{"expired", token(func(c map[string]any) { c["exp"] = srv.Clock.Now().Add(-time.Minute).Unix() })},
		{"another issuer", token(func(c map[string]any) { c["iss"] = "https://evil.example.com" })},
	} {
		if _, _, err := credentials(tt.token); !isCode(err, "NotAuthorizedException") {
			t.Errorf("%s: %v", tt.name, err)
		}
	}

	// STS takes the provider's tokens directly, with the provider's ARN as
	// the trust policy's principal.
	direct, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ci-deploy"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"` + providerARN + `"},"Action":"sts:AssumeRoleWithWebIdentity",` +
			`"Condition":{"StringEquals":{"` + name + `:aud":"my-app","` + name + `:sub":"partner-7"}}}}`)})
	must(t, err)
	stsAnon := sts.NewFromConfig(srv.Config(aws.AnonymousCredentials{}))
	assume := func(tok string) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		return stsAnon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: direct.Role.Arn, RoleSessionName: aws.String("deploy"), WebIdentityToken: aws.String(tok)})
	}
	out, err := assume(token(nil))
	must(t, err)
	if aws.ToString(out.Provider) != idp.Issuer || aws.ToString(out.SubjectFromWebIdentityToken) != "partner-7" || aws.ToString(out.Audience) != "my-app" {
		t.Errorf("answer: provider %s subject %s audience %s", aws.ToString(out.Provider), aws.ToString(out.SubjectFromWebIdentityToken), aws.ToString(out.Audience))
	}
	if _, err := assume(token(func(c map[string]any) { c["sub"] = "partner-8" })); !isCode(err, "AccessDenied") {
		t.Errorf("a subject the trust policy does not name: %v", err)
	}
	if _, err := assume(token(func(c map[string]any) { c["exp"] = srv.Clock.Now().Add(-time.Minute).Unix() })); !isCode(err, "ExpiredTokenException") {
		t.Errorf("expired: %v", err)
	}

	// The provider rotates its key; federa fetches the new one when a token
	// names it.
	idp.Rotate(t)
	srv.Clock.Advance(11 * time.Second)
	if _, err := assume(token(nil)); err != nil {
		t.Errorf("a token signed with the rotated key: %v", err)
	}

	// A deleted provider's tokens stop working.
	_, err = iamc.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: &providerARN})
	must(t, err)
	if _, err := assume(token(nil)); !isCode(err, "InvalidIdentityToken") {
		t.Errorf("after deleting the provider: %v", err)
	}
}

func credentialsProvider(c aws.Credentials) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil })
}
