package e2e

import (
	"context"
	"encoding/base64"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/srp"
)

type srpPool struct {
	srv            *apptest.Server
	c              *cip.Client
	poolID, client string
}

func newSRPPool(t *testing.T) srpPool {
	t.Helper()
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := cip.NewFromConfig(srv.RootConfig())
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("srp")})
	must(t, err)
	p := srpPool{srv: srv, c: c, poolID: aws.ToString(pool.UserPool.Id)}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &p.poolID, ClientName: aws.String("app"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	must(t, err)
	p.client = aws.ToString(cl.UserPoolClient.ClientId)
	for _, u := range []string{"alice", "temp"} {
		_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &p.poolID, Username: aws.String(u), TemporaryPassword: aws.String("Temp-pass-1!")})
		must(t, err)
	}
	_, err = c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &p.poolID, Username: aws.String("alice"), Password: aws.String(password), Permanent: true})
	must(t, err)
	return p
}

// answer is a client's PASSWORD_VERIFIER response, which tests then spoil.
type answer struct {
	responses map[string]string
}

// start runs USER_SRP_AUTH and computes the honest answer.
func (p srpPool) start(t *testing.T, username, pw string) (answer, *cip.InitiateAuthOutput) {
	t.Helper()
	cl := srp.NewClient()
	out, err := p.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{ClientId: &p.client, AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": username, "SRP_A": cl.Public.Text(16)}})
	must(t, err)
	cp := out.ChallengeParameters
	salt, _ := new(big.Int).SetString(cp["SALT"], 16)
	B, _ := new(big.Int).SetString(cp["SRP_B"], 16)
	block, _ := base64.StdEncoding.DecodeString(cp["SECRET_BLOCK"])
	ts := srp.Timestamp(time.Now())
	key := cl.Key(p.poolID, cp["USER_ID_FOR_SRP"], pw, salt, B)
	sig := srp.Signature(key, p.poolID, cp["USER_ID_FOR_SRP"], block, ts)
	return answer{map[string]string{"USERNAME": cp["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"],
		"TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(sig)}}, out
}

func (p srpPool) finish(a answer) (*cip.RespondToAuthChallengeOutput, error) {
	return p.c.RespondToAuthChallenge(context.Background(), &cip.RespondToAuthChallengeInput{ClientId: &p.client,
		ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: a.responses})
}

// TestSRPRefusals checks USER_SRP_AUTH through the SDK: the honest answer
// signs in, and every spoiled one is refused with Cognito's error.
func TestSRPRefusals(t *testing.T) {
	p := newSRPPool(t)
	honest, first := p.start(t, "ALICE", password) // usernames ignore case
	if first.ChallengeName != "PASSWORD_VERIFIER" || first.ChallengeParameters["USER_ID_FOR_SRP"] != "alice" {
		t.Fatalf("challenge %s %v", first.ChallengeName, first.ChallengeParameters)
	}
	out, err := p.finish(honest)
	must(t, err)
	if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.IdToken) == "" {
		t.Fatalf("no tokens: %+v", out)
	}

	spoil := func(k, v string) func(answer) answer {
		return func(a answer) answer { a.responses[k] = v; return a }
	}
	tests := []struct {
		name, user, pw string
		spoil          func(answer) answer
		code           string
	}{
		{"wrong password", "alice", password + "x", nil, "NotAuthorizedException"},
		{"unknown user", "nobody", password, nil, "NotAuthorizedException"},
		{"tampered secret block", "alice", password, func(a answer) answer {
			b := []byte(a.responses["PASSWORD_CLAIM_SECRET_BLOCK"])
			b[20] ^= 1
			a.responses["PASSWORD_CLAIM_SECRET_BLOCK"] = string(b)
			return a
		}, "NotAuthorizedException"},
		{"other username", "alice", password, spoil("USERNAME", "temp"), "NotAuthorizedException"},
		{"timestamp format", "alice", password, spoil("TIMESTAMP", time.Now().UTC().Format(time.RFC3339)), "InvalidParameterException"},
		{"stale timestamp", "alice", password, spoil("TIMESTAMP", srp.Timestamp(time.Now().Add(-time.Hour))), "NotAuthorizedException"},
		{"signature not base64", "alice", password, spoil("PASSWORD_CLAIM_SIGNATURE", "%%%"), "NotAuthorizedException"},
		{"missing signature", "alice", password, spoil("PASSWORD_CLAIM_SIGNATURE", ""), "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := p.start(t, tt.user, tt.pw)
			if tt.spoil != nil {
				a = tt.spoil(a)
			}
			_, err := p.finish(a)
			if !isCode(err, tt.code) {
				t.Errorf("got %v, want %s", err, tt.code)
			}
		})
	}

	// An unknown user's salt stays the same, as a real user's does, so
	// probing cannot tell who exists.
	_, o1 := p.start(t, "nobody", "x")
	_, o2 := p.start(t, "nobody", "x")
	if o1.ChallengeParameters["SALT"] != o2.ChallengeParameters["SALT"] {
		t.Error("an unknown user's salt changes between attempts")
	}

	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		params map[string]string
		flow   ciptypes.AuthFlowType
		code   string
	}{
		{"A is zero", map[string]string{"USERNAME": "alice", "SRP_A": "0"}, "USER_SRP_AUTH", "InvalidParameterException"},
		{"A is N", map[string]string{"USERNAME": "alice", "SRP_A": srp.N.Text(16)}, "USER_SRP_AUTH", "InvalidParameterException"},
		{"A not hex", map[string]string{"USERNAME": "alice", "SRP_A": "xyz"}, "USER_SRP_AUTH", "InvalidParameterException"},
		{"no SRP_A", map[string]string{"USERNAME": "alice"}, "USER_SRP_AUTH", "InvalidParameterException"},
		{"custom auth", map[string]string{"USERNAME": "alice"}, "CUSTOM_AUTH", "InvalidParameterException"},
	} {
		_, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &p.client, AuthFlow: tt.flow, AuthParameters: tt.params})
		if !isCode(err, tt.code) {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.code)
		}
	}
}

// TestNewPasswordRequired replaces a temporary password through both the
// client-side and the admin flow, and refuses what Cognito refuses.
func TestNewPasswordRequired(t *testing.T) {
	ctx := context.Background()
	p := newSRPPool(t)
	out, err := p.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &p.client, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "temp", "PASSWORD": "Temp-pass-1!"}})
	must(t, err)
	if out.ChallengeName != "NEW_PASSWORD_REQUIRED" || aws.ToString(out.Session) == "" || out.ChallengeParameters["requiredAttributes"] != "[]" {
		t.Fatalf("challenge %s %v", out.ChallengeName, out.ChallengeParameters)
	}
	respond := func(session, newPassword string) error {
		_, err := p.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &p.client, ChallengeName: "NEW_PASSWORD_REQUIRED",
			Session: aws.String(session), ChallengeResponses: map[string]string{"USERNAME": "temp", "NEW_PASSWORD": newPassword}})
		return err
	}
	if err := respond(aws.ToString(out.Session), "short"); !isCode(err, "InvalidPasswordException") {
		t.Errorf("weak new password: %v", err)
	}
	if err := respond("garbage", "New-pass-2!"); !isCode(err, "NotAuthorizedException") {
		t.Errorf("garbage session: %v", err)
	}
	must(t, respond(aws.ToString(out.Session), "New-pass-2!"))
	if err := respond(aws.ToString(out.Session), "New-pass-3!"); !isCode(err, "NotAuthorizedException") {
		t.Errorf("session used twice: %v", err)
	}
	user, err := p.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &p.poolID, Username: aws.String("temp")})
	must(t, err)
	if user.UserStatus != "CONFIRMED" {
		t.Errorf("status after the new password: %s", user.UserStatus)
	}
	// The new password works over SRP too: its verifier was stored.
	a, _ := p.start(t, "temp", "New-pass-2!")
	if _, err := p.finish(a); err != nil {
		t.Errorf("SRP with the new password: %v", err)
	}

	// The admin flow: AdminInitiateAuth, then AdminRespondToAuthChallenge.
	_, err = p.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &p.poolID, Username: aws.String("temp"), Password: aws.String("Temp-pass-4!")})
	must(t, err)
	ao, err := p.c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &p.poolID, ClientId: &p.client, AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "temp", "PASSWORD": "Temp-pass-4!"}})
	must(t, err)
	ar, err := p.c.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: &p.poolID, ClientId: &p.client,
		ChallengeName: "NEW_PASSWORD_REQUIRED", Session: ao.Session,
		ChallengeResponses: map[string]string{"USERNAME": "temp", "NEW_PASSWORD": "New-pass-5!", "userAttributes.given_name": "Tem"}})
	must(t, err)
	if ar.AuthenticationResult == nil {
		t.Fatal("no tokens from AdminRespondToAuthChallenge")
	}
	user, err = p.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &p.poolID, Username: aws.String("temp")})
	must(t, err)
	found := false
	for _, at := range user.UserAttributes {
		found = found || (aws.ToString(at.Name) == "given_name" && aws.ToString(at.Value) == "Tem")
	}
	if !found {
		t.Errorf("userAttributes.given_name not stored: %+v", user.UserAttributes)
	}
}
