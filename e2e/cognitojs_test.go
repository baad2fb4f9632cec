package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app/apptest"
)

// requireNode finds node and the e2e/js packages that scripts/test installs
// (npm ci --prefix e2e/js). With FEDERA_REQUIRE_NODE set, as scripts/test
// sets it, their absence fails the run instead of skipping.
func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat("js/node_modules/amazon-cognito-identity-js")
	}
	if err != nil {
		if os.Getenv("FEDERA_REQUIRE_NODE") != "" {
			t.Fatalf("node and e2e/js/node_modules are needed (scripts/test installs them with npm ci --prefix e2e/js): %v", err)
		}
		t.Skipf("node or e2e/js/node_modules missing (run scripts/test, or npm ci --prefix e2e/js): %v", err)
	}
	return node
}

// TestCognitoIdentityJS signs in with amazon-cognito-identity-js, the
// library the seeds' browser apps use: real SRP, refresh, a temporary
// password replaced through NEW_PASSWORD_REQUIRED, and the refusals.
func TestCognitoIdentityJS(t *testing.T) {
	node := requireNode(t)
	ctx := context.Background()
	srv := apptest.NewServer(t)
	idp := cip.NewFromConfig(srv.RootConfig())
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("notes")})
	must(t, err)
	poolID := aws.ToString(pool.UserPool.Id)
	// No ExplicitAuthFlows: Cognito's default, SRP and refresh.
	client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("web")})
	must(t, err)
	clientID := aws.ToString(client.UserPoolClient.ClientId)
	for _, u := range []struct{ name, pw string }{{"alice", password}, {"Carol", "Temp-pass-1!"}} {
		_, err := idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String(u.name), TemporaryPassword: aws.String(u.pw),
			MessageAction: "SUPPRESS"})
		must(t, err)
	}
	_, err = idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("alice"), Password: aws.String(password), Permanent: true})
	must(t, err)

	base := append(os.Environ(), "FEDERA_ENDPOINT="+srv.URL, "POOL_ID="+poolID, "CLIENT_ID="+clientID)
	out, steps := runJS(t, node, append(base, "USER=alice", "PASSWORD="+password, "TEMP_USER=carol",
		"TEMP_PASSWORD=Temp-pass-1!", "NEW_PASSWORD=New-pass-2!"), "signin.mjs")
	check := func(step, field string, want any) {
		t.Helper()
		if got := steps[step][field]; got != want {
			t.Errorf("%s.%s = %v, want %v\n%s", step, field, got, want, out)
		}
	}
	check("srp", "valid", true)
	check("srp", "username", "alice")
	check("srp", "token_use", "id")
	check("srp", "aud", clientID)
	check("refresh", "valid", true)
	check("refresh", "changed", true)
	if ra, ok := steps["new-password-required"]["requiredAttributes"].([]any); !ok || len(ra) != 0 {
		t.Errorf("requiredAttributes = %v", steps["new-password-required"]["requiredAttributes"])
	}
	check("new-password", "valid", true)
	check("new-password", "username", "Carol")
	check("new-password-again", "valid", true)
	check("wrong-password", "error", "NotAuthorizedException")
	check("unknown-user", "error", "NotAuthorizedException")

	// Sign-up: the code comes from the outbox, as an administrator of a
	// server that sends no mail reads it.
	_, err = idp.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: &poolID, AutoVerifiedAttributes: []ciptypes.VerifiedAttributeType{"email"}})
	must(t, err)
	signupEnv := append(base, "USER=hugo", "PASSWORD=Hugo-pass-1!", "EMAIL=hugo@example.com")
	out, steps = runJS(t, node, signupEnv, "signup.mjs", "signup")
	check("signup", "confirmed", false)
	check("signup", "destination", "h***@e***")
	out, steps = runJS(t, node, signupEnv, "signup.mjs", "confirm", lastCode(t, srv, poolID, "hugo"))
	check("wrong-code", "error", "CodeMismatchException")
	check("confirm", "result", "SUCCESS")
	check("signin", "valid", true)
	check("signin", "email_verified", true)

	// TOTP MFA, set up and then required at sign-in.
	_, err = idp.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: &poolID, MfaConfiguration: "OPTIONAL",
		SoftwareTokenMfaConfiguration: &ciptypes.SoftwareTokenMfaConfigType{Enabled: true}})
	must(t, err)
	out, steps = runJS(t, node, append(base, "USER=alice", "PASSWORD="+password), "mfa.mjs")
	check("setup", "secretLength", float64(32))
	check("challenge", "challengeName", "SOFTWARE_TOKEN_MFA")
	check("signin", "valid", true)
}

// runJS runs one of the e2e/js scripts and reads its JSON lines by step.
func runJS(t *testing.T, node string, env []string, args ...string) (string, map[string]map[string]any) {
	t.Helper()
	cmd := exec.Command(node, args...)
	cmd.Dir = "js"
	cmd.Env = env
	raw, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, raw)
	}
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			if step, ok := m["step"].(string); ok {
				steps[step] = m
			}
		}
	}
	return string(raw), steps
}
