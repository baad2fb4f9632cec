package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPolicyTestCommand runs the shipped IAM cases through `federa policy
// test`, as a user runs their own.
func TestPolicyTestCommand(t *testing.T) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"policy", "test", "../policy/testdata/iam/cases.jsonl", "../policy/testdata/federa-cases.jsonl"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.HasSuffix(out.String(), " passed, 0 failed\n") {
		t.Fatalf("output = %q", out.String())
	}

	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	line := `{"id":"mine-1","policies":{"identity":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}]},"request":{"principal":"arn:aws:sts::123456789012:assumed-role/R/S","action":"s3:PutObject","resource":"arn:aws:s3:::b/k","context":{}},"expected":"Allow"}`
	if err := os.WriteFile(bad, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	code = Main(context.Background(), []string{"policy", "test", bad}, &out, &errb)
	if code != 1 || !strings.HasPrefix(out.String(), "FAIL mine-1: expected Allow, got ImplicitDeny (") || !strings.HasSuffix(out.String(), "0 passed, 1 failed\n") {
		t.Fatalf("exit %d, output %q", code, out.String())
	}
}

func TestPolicySimulateCommand(t *testing.T) {
	dir := t.TempDir()
	pf := filepath.Join(dir, "p.json")
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Own","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::notes/${cognito-identity.amazonaws.com:sub}/*"}]}`
	if err := os.WriteFile(pf, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	bf := filepath.Join(dir, "boundary.json")
	if err := os.WriteFile(bf, []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args     []string
		code     int
		want     string
		contains string
	}{
		{[]string{"--policy-file", pf, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::notes/me/a", "--context", "cognito-identity.amazonaws.com:sub=me"}, 0,
			`Allow: statement "Own" (Allow)`, `applies  identity policy 1, statement "Own" (line 1)`},
		{[]string{"--policy-file", pf, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::notes/you/a", "--context", "cognito-identity.amazonaws.com:sub=me"}, 1,
			"ImplicitDeny: no statement allows", `skipped  identity policy 1, statement "Own" (line 1): arn:aws:s3:::notes/you/a matches no Resource`},
		{[]string{"--policy-file", pf, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::notes/me/a"}, 1,
			"ImplicitDeny", "missing context keys: cognito-identity.amazonaws.com:sub"},
		{[]string{"--policy-file", pf, "--boundary-policy-file", bf, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::notes/me/a", "--context", "cognito-identity.amazonaws.com:sub=me"}, 1,
			"ImplicitDeny: no statement allows s3:PutObject on arn:aws:s3:::notes/me/a; the permissions boundary does not allow it", "skipped  permissions boundary, statement 1 (line 1): s3:PutObject is not in Action"},
		{[]string{"--policy-file", pf}, 2, "", ""},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"policy", "simulate"}, tt.args...), &out, &errb)
		if code != tt.code || !strings.HasPrefix(out.String(), tt.want) || !strings.Contains(out.String(), tt.contains) {
			t.Errorf("%v: exit %d, output %q %q", tt.args, code, out.String(), errb.String())
		}
	}
}
