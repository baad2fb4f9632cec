package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// TestClassicFlow runs the basic (classic) flow as the seeds describe it:
// GetOpenIdToken, then STS AssumeRoleWithWebIdentity with the token, the
// role's trust policy checking aud and amr; session policies narrow the
// session; forged, expired and foreign tokens get nothing.
func TestClassicFlow(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	root := ci.NewFromConfig(w.srv.RootConfig())
	anon := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	stsAnon := sts.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	logins := map[string]string{w.provider(): w.signIn(t, "alice")}
	id, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: logins})
	must(t, err)
	if _, err := anon.GetOpenIdToken(ctx, &ci.GetOpenIdTokenInput{IdentityId: id.IdentityId, Logins: logins}); !isCode(err, "InvalidParameterException") {
		t.Errorf("classic flow while AllowClassicFlow is off: %v", err)
	}
	_, err = root.UpdateIdentityPool(ctx, &ci.UpdateIdentityPoolInput{IdentityPoolId: &w.identityPoolID, IdentityPoolName: aws.String("notes"),
		AllowClassicFlow: aws.Bool(true), AllowUnauthenticatedIdentities: true,
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{ProviderName: aws.String(w.provider()), ClientId: &w.clientID}}})
	must(t, err)
	tok, err := anon.GetOpenIdToken(ctx, &ci.GetOpenIdTokenInput{IdentityId: id.IdentityId, Logins: logins})
	must(t, err)
	token := aws.ToString(tok.Token)
	claims := payload(t, token)
	if claims["sub"] != aws.ToString(id.IdentityId) || claims["aud"] != w.identityPoolID || !strings.HasSuffix(claims["iss"].(string), "/_cognito-identity") {
		t.Errorf("OpenID token claims %v", claims)
	}
	if amr, _ := claims["amr"].([]any); len(amr) < 2 || amr[0] != "authenticated" || amr[1] != w.provider() {
		t.Errorf("amr = %v", claims["amr"])
	}
	// The token's keys are published where its issuer says.
	resp, err := http.Get(claims["iss"].(string) + "/.well-known/jwks_uri")
	must(t, err)
	var set struct{ Keys []struct{ Kid string } }
	must(t, json.NewDecoder(resp.Body).Decode(&set))
	resp.Body.Close()
	if len(set.Keys) != 1 || set.Keys[0].Kid != header(t, token)["kid"] {
		t.Errorf("JWKS %+v does not hold the token's key", set)
	}

	roleARN := "arn:aws:iam::123456789012:role/Cognito_notesAuth_Role"
	assume := func(tok string, mod func(*sts.AssumeRoleWithWebIdentityInput)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("web"), WebIdentityToken: aws.String(tok)}
		if mod != nil {
			mod(in)
		}
		return stsAnon.AssumeRoleWithWebIdentity(ctx, in)
	}
	out, err := assume(token, nil)
	must(t, err)
	if aws.ToString(out.SubjectFromWebIdentityToken) != aws.ToString(id.IdentityId) || aws.ToString(out.Audience) != w.identityPoolID ||
		aws.ToString(out.Provider) != "cognito-identity.amazonaws.com" || !strings.HasSuffix(aws.ToString(out.AssumedRoleUser.Arn), ":assumed-role/Cognito_notesAuth_Role/web") {
		t.Errorf("AssumeRoleWithWebIdentity answer: %+v %+v", out, out.AssumedRoleUser)
	}
	creds := aws.Credentials{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretAccessKey, SessionToken: *out.Credentials.SessionToken}
	bucket := w.s3(w.sessionConfig(creds))
	put := func(c *s3.Client) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(w.bucket), Key: aws.String(aws.ToString(id.IdentityId) + "/classic.txt"), Body: bytes.NewReader([]byte("x"))})
		return err
	}
	if err := put(bucket); err != nil {
		t.Errorf("classic-flow credentials in the identity's own prefix: %v", err)
	}

	// Session policies narrow: an inline one, and a managed one.
	narrow, err := assume(token, func(in *sts.AssumeRoleWithWebIdentityInput) {
		in.Policy = aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	})
	must(t, err)
	if err := put(w.s3(w.sessionConfig(aws.Credentials{AccessKeyID: *narrow.Credentials.AccessKeyId, SecretAccessKey: *narrow.Credentials.SecretAccessKey,
		SessionToken: *narrow.Credentials.SessionToken}))); !isCode(err, "AccessDenied") {
		t.Errorf("put under a get-only session policy: %v", err)
	}
	managed, err := assume(token, func(in *sts.AssumeRoleWithWebIdentityInput) {
		in.PolicyArns = []ststypes.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")}}
		in.DurationSeconds = aws.Int32(900)
	})
	must(t, err)
	if err := put(w.s3(w.sessionConfig(aws.Credentials{AccessKeyID: *managed.Credentials.AccessKeyId, SecretAccessKey: *managed.Credentials.SecretAccessKey,
		SessionToken: *managed.Credentials.SessionToken}))); !isCode(err, "AccessDenied") {
		t.Errorf("put under a read-only managed session policy: %v", err)
	}
	if exp := aws.ToTime(managed.Credentials.Expiration); time.Until(exp) > 16*time.Minute {
		t.Errorf("DurationSeconds 900 gave credentials until %v", exp)
	}

	// Refusals.
	parts := strings.Split(token, ".")
	flip := []byte(parts[2])
	flip[10] ^= 1
	hs256 := func() string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","kid":"` + header(t, token)["kid"].(string) + `"}`))
		m := hmac.New(sha256.New, []byte("guessed-key"))
		m.Write([]byte(h + "." + parts[1]))
		return h + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "."
	for _, tt := range []struct {
		name, token string
		mod         func(*sts.AssumeRoleWithWebIdentityInput)
		code        string
	}{
		{"tampered signature", parts[0] + "." + parts[1] + "." + string(flip), nil, "InvalidIdentityToken"},
		{"alg none", none, nil, "InvalidIdentityToken"},
		{"HS256", hs256(), nil, "InvalidIdentityToken"},
		{"not a JWT", "garbage", nil, "InvalidIdentityToken"},
		{"duration over the role's maximum", token, func(in *sts.AssumeRoleWithWebIdentityInput) { in.DurationSeconds = aws.Int32(7200) }, "ValidationError"},
		{"malformed session policy", token, func(in *sts.AssumeRoleWithWebIdentityInput) { in.Policy = aws.String(`{"Statement":"x"}`) }, "MalformedPolicyDocument"},
		{"short session name", token, func(in *sts.AssumeRoleWithWebIdentityInput) { in.RoleSessionName = aws.String("x") }, "ValidationError"},
		{"role whose trust policy names another pool", token, func(in *sts.AssumeRoleWithWebIdentityInput) {
			in.RoleArn = aws.String("arn:aws:iam::123456789012:role/identitypools3access")
		}, "AccessDenied"},
	} {
		if _, err := assume(tt.token, tt.mod); !isCode(err, tt.code) {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}

	// A guest's token says unauthenticated: the authenticated role's trust
	// policy refuses it.
	guest, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID})
	must(t, err)
	gtok, err := anon.GetOpenIdToken(ctx, &ci.GetOpenIdTokenInput{IdentityId: guest.IdentityId})
	must(t, err)
	if _, err := assume(aws.ToString(gtok.Token), nil); !isCode(err, "AccessDenied") {
		t.Errorf("a guest token for the authenticated role: %v", err)
	}

	w.srv.Clock.Advance(11 * time.Minute)
	if _, err := assume(token, nil); !isCode(err, "ExpiredTokenException") {
		t.Errorf("an 11-minute-old token: %v", err)
	}
}
