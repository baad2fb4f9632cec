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

	cmd := exec.Command(node, "signin.mjs")
	cmd.Dir = "js"
	cmd.Env = append(os.Environ(), "FEDERA_ENDPOINT="+srv.URL, "POOL_ID="+poolID, "CLIENT_ID="+clientID,
		"USER=alice", "PASSWORD="+password, "TEMP_USER=carol", "TEMP_PASSWORD=Temp-pass-1!", "NEW_PASSWORD=New-pass-2!")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("signin.mjs: %v\n%s", err, out)
	}
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			steps[m["step"].(string)] = m
		}
	}
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
}
