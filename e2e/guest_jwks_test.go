package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/go-jose/go-jose/v4"
)

// TestGuestCredentials: with AllowUnauthenticatedIdentities on and an
// unauthenticated role whose trust policy admits guests, an identity with no
// login gets that role's credentials, and they carry amr "unauthenticated".
func TestGuestCredentials(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	cfg := w.srv.RootConfig()
	idc := ci.NewFromConfig(cfg)
	pool, err := idc.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("guests"), AllowUnauthenticatedIdentities: true})
	must(t, err)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"` + *pool.IdentityPoolId + `"},` +
		`"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"unauthenticated"}}}]}`
	guestPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + w.bucket + `/public/*"}]}`
	iamc := iam.NewFromConfig(cfg)
	role, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Cognito_guestsUnauth_Role"), AssumeRolePolicyDocument: &trust})
	must(t, err)
	_, err = iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("Cognito_guestsUnauth_Role"), PolicyName: aws.String("public"), PolicyDocument: &guestPolicy})
	must(t, err)
	_, err = idc.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: pool.IdentityPoolId, Roles: map[string]string{"unauthenticated": *role.Role.Arn}})
	must(t, err)
	_, err = w.s3(cfg).PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: aws.String("public/hello.txt"), Body: strings.NewReader("hi")})
	must(t, err)

	anon := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	id, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: pool.IdentityPoolId})
	must(t, err)
	out, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId})
	must(t, err)
	guest := w.sessionConfig(aws.Credentials{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretKey, SessionToken: *out.Credentials.SessionToken})
	who, err := sts.NewFromConfig(guest).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err)
	if !strings.Contains(aws.ToString(who.Arn), ":assumed-role/Cognito_guestsUnauth_Role/CognitoIdentityCredentials") {
		t.Errorf("guest Arn = %q", aws.ToString(who.Arn))
	}
	_, err = w.s3(guest).GetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: aws.String("public/hello.txt")})
	must(t, err)
	_, err = w.s3(guest).PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: aws.String("public/x.txt"), Body: strings.NewReader("x")})
	wantCode(t, err, "AccessDenied")

	// A guest identity id presented with a login is refused: it is not
	// that login's identity.
	_, err = anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId,
		Logins: map[string]string{w.provider(): w.signIn(t, "alice")}})
	wantCode(t, err, "NotAuthorizedException")
}

// TestDiscoveryAndJWKS: a client that verifies ID tokens by OIDC discovery,
// as libraries for Cognito do, finds the issuer and keys at the issuer URL
// and verifies federa's token with them.
func TestDiscoveryAndJWKS(t *testing.T) {
	w := setupWorld(t)
	token := w.signIn(t, "alice")
	issuer := w.srv.URL + "/" + w.userPoolID

	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	getJSON(t, issuer+"/.well-known/openid-configuration", &disc)
	if disc.Issuer != issuer || disc.JWKSURI != issuer+"/.well-known/jwks.json" {
		t.Fatalf("discovery = %+v, issuer %s", disc, issuer)
	}
	var set jose.JSONWebKeySet
	getJSON(t, disc.JWKSURI, &set)
	obj, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	must(t, err)
	keys := set.Key(obj.Signatures[0].Header.KeyID)
	if len(keys) != 1 || !keys[0].IsPublic() {
		t.Fatalf("JWKS has %d public keys for kid %q", len(keys), obj.Signatures[0].Header.KeyID)
	}
	payload, err := obj.Verify(keys[0].Key)
	must(t, err)
	var raw map[string]any
	must(t, json.Unmarshal(payload, &raw))
	if raw["iss"] != issuer || raw["aud"] != w.clientID || raw["token_use"] != "id" || raw["cognito:username"] != "alice" {
		t.Errorf("claims = %v", raw)
	}

	// Unknown pools have no documents.
	resp, err := http.Get(w.srv.URL + "/us-east-1_nope/.well-known/jwks.json")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("JWKS of an unknown pool: status %d", resp.StatusCode)
	}
}

// TestUnsignedAdminCalls: administrative APIs called without a signature
// answer each protocol's missing-authentication code.
func TestUnsignedAdminCalls(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	anon := w.srv.Config(aws.AnonymousCredentials{})
	_, err := cip.NewFromConfig(anon).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantCode(t, err, "MissingAuthenticationTokenException")
	_, err = ci.NewFromConfig(anon).ListIdentityPools(ctx, &ci.ListIdentityPoolsInput{MaxResults: aws.Int32(10)})
	wantCode(t, err, "MissingAuthenticationTokenException")
	_, err = iam.NewFromConfig(anon).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, err, "MissingAuthenticationToken")
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	must(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	must(t, json.NewDecoder(resp.Body).Decode(v))
}

// TestRotateSigningKey rotates a pool's key with federa's RotateSigningKey:
// the JWKS then lists two keys and the tokens issued before still work.
func TestRotateSigningKey(t *testing.T) {
	ctx := context.Background()
	p := newSRPPool(t)
	out, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &p.client, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
	must(t, err)
	srvURL := p.srv.URL
	jwksKeys := func() int {
		resp, err := http.Get(srvURL + "/" + p.poolID + "/.well-known/jwks.json")
		must(t, err)
		defer resp.Body.Close()
		var set struct{ Keys []map[string]any }
		must(t, json.NewDecoder(resp.Body).Decode(&set))
		return len(set.Keys)
	}
	if n := jwksKeys(); n != 1 {
		t.Fatalf("JWKS before rotation: %d keys", n)
	}
	callFederaOp(t, p.srv, "RotateSigningKey", map[string]string{"UserPoolId": p.poolID})
	if n := jwksKeys(); n != 2 {
		t.Errorf("JWKS after rotation: %d keys, want the new and the previous", n)
	}
	if _, err := p.c.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken}); err != nil {
		t.Errorf("a token signed before the rotation: %v", err)
	}
	fresh, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &p.client, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
	must(t, err)
	oldKid := header(t, aws.ToString(out.AuthenticationResult.IdToken))["kid"]
	newKid := header(t, aws.ToString(fresh.AuthenticationResult.IdToken))["kid"]
	if oldKid == newKid {
		t.Error("tokens after the rotation are signed by the old key")
	}
}

func header(t *testing.T, jwt string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	must(t, err)
	var m map[string]any
	must(t, json.Unmarshal(raw, &m))
	return m
}
