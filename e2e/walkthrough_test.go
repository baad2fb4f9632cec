package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// TestSeedWalkthrough is seed 003's walkthrough with seed 004's policy: a
// signed-in user gets credentials that work in their own folder and nowhere
// else they may not go.
func TestSeedWalkthrough(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	aliceID, alice := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	if !strings.HasPrefix(aliceID, "us-east-1:") {
		t.Errorf("identity id %q is not region:uuid", aliceID)
	}
	cfg := w.sessionConfig(alice)
	s3c := w.s3(cfg)

	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err)
	if want := "arn:aws:sts::123456789012:assumed-role/Cognito_notesAuth_Role/CognitoIdentityCredentials"; aws.ToString(who.Arn) != want {
		t.Errorf("GetCallerIdentity Arn = %q, want %q", aws.ToString(who.Arn), want)
	}

	own := aliceID + "/hello.txt"
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: &own, Body: strings.NewReader("hello"), ContentType: aws.String("text/plain")})
	must(t, err)
	got, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: &own})
	must(t, err)
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if string(body) != "hello" || aws.ToString(got.ContentType) != "text/plain" {
		t.Errorf("GetObject = %q (%s), want hello (text/plain)", body, aws.ToString(got.ContentType))
	}
	list, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &w.bucket, Prefix: aws.String(aliceID + "/")})
	must(t, err)
	if len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != own {
		t.Errorf("ListObjectsV2 of own folder = %v, want [%s]", keys(list), own)
	}
	_, err = s3c.ListBuckets(ctx, &s3.ListBucketsInput{})
	must(t, err)

	// Outside the policy: another identity's folder, and root-level writes.
	bobID, bob := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "bob"))
	if bobID == aliceID {
		t.Fatalf("alice and bob share identity %s", aliceID)
	}
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: aws.String(bobID + "/intrusion.txt"), Body: strings.NewReader("x")})
	wantCode(t, err, "AccessDenied")
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: aws.String("top-level.txt"), Body: strings.NewReader("x")})
	wantCode(t, err, "AccessDenied")
	_, err = s3c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &w.bucket, Key: &own})
	must(t, err)
	_, err = w.s3(w.sessionConfig(bob)).DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &w.bucket, Key: aws.String(aliceID + "/x")})
	wantCode(t, err, "AccessDenied")

	// The read-only role of seed 003: reads allowed, writes denied.
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: &own, Body: strings.NewReader("hello again")})
	must(t, err)
	_, reader := w.credentialsFor(t, w.readOnlyPoolID, w.signIn(t, "alice"))
	ro := w.s3(w.sessionConfig(reader))
	_, err = ro.GetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: &own})
	must(t, err)
	_, err = ro.PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: aws.String("anything.txt"), Body: strings.NewReader("x")})
	wantCode(t, err, "AccessDenied")
}

// TestIdentityBelongsToOneLogin checks that nobody gets another identity's
// credentials, and that only real, current tokens of the configured client
// are accepted.
func TestIdentityBelongsToOneLogin(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	aliceToken, bobToken := w.signIn(t, "alice"), w.signIn(t, "bob")
	aliceID, _ := w.credentialsFor(t, w.identityPoolID, aliceToken)
	again, _ := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	if again != aliceID {
		t.Errorf("second sign-in got identity %s, want %s", again, aliceID)
	}
	idc := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	_, err := idc.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: &aliceID, Logins: map[string]string{w.provider(): bobToken}})
	wantCode(t, err, "NotAuthorizedException")
	_, err = idc.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: &aliceID})
	wantCode(t, err, "NotAuthorizedException")

	parts := strings.Split(aliceToken, ".")
	forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	_, err = idc.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: map[string]string{w.provider(): forged}})
	wantCode(t, err, "NotAuthorizedException")
	_, err = idc.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: map[string]string{"cognito-idp.us-east-1.amazonaws.com/us-east-1_NotMine00": aliceToken}})
	wantCode(t, err, "NotAuthorizedException")
	_, err = idc.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID})
	wantCode(t, err, "NotAuthorizedException") // no guests in this pool

	w.srv.Clock.Advance(61 * time.Minute)
	_, err = idc.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: map[string]string{w.provider(): aliceToken}})
	wantCode(t, err, "NotAuthorizedException") // expired ID token
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorMessage() != "Invalid login token. Token expired." {
		t.Errorf("expired token message = %q", ae.ErrorMessage())
	}
}

// TestRestartKeepsEverything restarts the server on the same data directory:
// setup, identities, objects and unexpired credentials all survive.
func TestRestartKeepsEverything(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	token := w.signIn(t, "alice")
	id, creds := w.credentialsFor(t, w.identityPoolID, token)
	key := id + "/kept.txt"
	_, err := w.s3(w.sessionConfig(creds)).PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: &key, Body: strings.NewReader("still here")})
	must(t, err)

	w.srv.Restart()

	out, err := w.s3(w.sessionConfig(creds)).GetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: &key})
	must(t, err)
	b, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(b) != "still here" {
		t.Errorf("after restart GetObject = %q", b)
	}
	again, _ := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	if again != id {
		t.Errorf("after restart alice's identity is %s, want %s", again, id)
	}

	// Credentials expire on time, restart or not.
	w.srv.Clock.Advance(61 * time.Minute)
	_, err = w.s3(w.sessionConfig(creds)).GetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: &key})
	wantCode(t, err, "ExpiredToken")
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want AWS error %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want AWS error %s, got %s: %s", code, ae.ErrorCode(), ae.ErrorMessage())
	}
	if ae.ErrorMessage() == "" {
		t.Errorf("%s has an empty message", code)
	}
}

func keys(out *s3.ListObjectsV2Output) []string {
	var ks []string
	for _, o := range out.Contents {
		ks = append(ks, aws.ToString(o.Key))
	}
	return ks
}

// TestLoginTokenForgeries sends GetId user pool ID tokens that were never
// signed by the pool: alg none, HS256 keyed with the public key, a token
// of another user pool, and one whose audience is a client the identity
// pool does not name. Each is NotAuthorizedException.
func TestLoginTokenForgeries(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	token := w.signIn(t, "alice")
	parts := strings.Split(token, ".")
	resp, err := http.Get(w.srv.URL + "/" + w.userPoolID + "/.well-known/jwks.json")
	must(t, err)
	jwks, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	hsHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","kid":"` + header(t, token)["kid"].(string) + `"}`))
	mac := hmac.New(sha256.New, jwks) // "the public key" as the HMAC secret
	mac.Write([]byte(hsHeader + "." + parts[1]))

	// Another user pool's token, and a token for a client the pool does not name.
	idp := cip.NewFromConfig(w.srv.RootConfig())
	other, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("other")})
	must(t, err)
	otherClient, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: other.UserPool.Id, ClientName: aws.String("x"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH"}})
	must(t, err)
	_, err = idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: other.UserPool.Id, Username: aws.String("alice"), MessageAction: "SUPPRESS"})
	must(t, err)
	_, err = idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: other.UserPool.Id, Username: aws.String("alice"), Password: aws.String(password), Permanent: true})
	must(t, err)
	signInOther := func(clientID *string) string {
		out, err := cip.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{})).InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID,
			AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
		must(t, err)
		return aws.ToString(out.AuthenticationResult.IdToken)
	}
	wrongPool := signInOther(otherClient.UserPoolClient.ClientId)
	sameClient, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &w.userPoolID, ClientName: aws.String("not-in-the-pool"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH"}})
	must(t, err)
	out, err := cip.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{})).InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: sameClient.UserPoolClient.ClientId,
		AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
	must(t, err)
	wrongAudience := aws.ToString(out.AuthenticationResult.IdToken)

	idc := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	for name, tok := range map[string]string{
		"alg none":                     base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".",
		"HS256 with the public key":    hsHeader + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)),
		"another user pool's token":    wrongPool,
		"a client the pool trusts not": wrongAudience,
	} {
		_, err := idc.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: map[string]string{w.provider(): tok}})
		if !isCode(err, "NotAuthorizedException") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
