package e2e

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoWalkthrough starts `federa demo`, reads the ids it prints, and runs
// the walkthrough it prints with the real aws CLI and the demo user.
func TestDemoWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("FEDERA_REQUIRE_AWS_CLI") != "" {
			t.Fatal("the aws CLI is not on PATH; install it with: pip install awscli")
		}
		t.Skip("the aws CLI is not on PATH (pip install awscli); scripts/test requires it")
	}
	srv := startBinary(t, buildFedera(t), "demo")
	out := waitForLine(t, srv, "sts get-caller-identity", 60*time.Second)
	find := func(re string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("demo output lacks %s:\n%s", re, out)
		}
		return m[1]
	}
	pool := find(`user pool\s+(\S+)`)
	client := find(`app client (\S+),`)
	idpool := find(`identity pool\s+(\S+)`)
	if !strings.Contains(out, "WARNING: demo mode accepts the root key test/test") {
		t.Error("demo did not warn about its well-known root key")
	}

	env := []string{"AWS_DEFAULT_REGION=us-east-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_SESSION_TOKEN=",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER="}
	aws := func(extraEnv []string, args ...string) (string, error) {
		cmd := exec.Command("aws", append([]string{"--endpoint-url", srv.url, "--output", "text"}, args...)...)
		cmd.Env = append(append(os.Environ(), env...), extraEnv...)
		b, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(b)), err
	}
	mustAWS := func(extraEnv []string, args ...string) string {
		t.Helper()
		s, err := aws(extraEnv, args...)
		if err != nil {
			t.Fatalf("aws %s: %v\n%s\n--- server ---\n%s", strings.Join(args, " "), err, s, srv.log())
		}
		return s
	}
	token := mustAWS(nil, "cognito-idp", "initiate-auth", "--auth-flow", "USER_PASSWORD_AUTH", "--client-id", client,
		"--auth-parameters", "USERNAME=demo,PASSWORD=Demo-passw0rd!", "--query", "AuthenticationResult.IdToken")
	login := "cognito-idp.us-east-1.amazonaws.com/" + pool + "=" + token
	id := mustAWS(nil, "cognito-identity", "get-id", "--identity-pool-id", idpool, "--logins", login, "--query", "IdentityId")
	creds := strings.Fields(mustAWS(nil, "cognito-identity", "get-credentials-for-identity", "--identity-id", id, "--logins", login,
		"--query", "[Credentials.AccessKeyId,Credentials.SecretKey,Credentials.SessionToken]"))
	if len(creds) != 3 {
		t.Fatalf("get-credentials-for-identity printed %d fields, want 3", len(creds))
	}
	session := []string{"AWS_ACCESS_KEY_ID=" + creds[0], "AWS_SECRET_ACCESS_KEY=" + creds[1], "AWS_SESSION_TOKEN=" + creds[2]}
	file := t.TempDir() + "/hello.txt"
	if err := os.WriteFile(file, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustAWS(session, "s3", "cp", file, "s3://notes-uploads/"+id+"/hello.txt")
	if ls := mustAWS(session, "s3", "ls", "s3://notes-uploads/"+id+"/"); !strings.Contains(ls, "hello.txt") {
		t.Errorf("s3 ls of own folder = %q", ls)
	}
	if s, err := aws(session, "s3", "cp", file, "s3://notes-uploads/someone-else/x"); err == nil || !strings.Contains(s, "AccessDenied") {
		t.Errorf("upload to another folder: err=%v output=%q, want AccessDenied", err, s)
	}
}
