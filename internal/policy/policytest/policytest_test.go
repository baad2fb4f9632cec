package policytest_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/federa/federa/internal/policy/policytest"
)

// TestShippedCases checks every case of the IAM decision corpus and of
// federa's own cases (the rules the corpus samples less, and permissions
// boundaries): given these policies and this request, AWS decides this.
func TestShippedCases(t *testing.T) {
	for _, tt := range []struct {
		file string
		min  int
	}{{"../testdata/iam/cases.jsonl", 90}, {"../testdata/federa-cases.jsonl", 40}} {
		t.Run(tt.file, func(t *testing.T) { runFile(t, tt.file, tt.min) })
	}
}

func runFile(t *testing.T, file string, min int) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := policytest.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < min {
		t.Fatalf("%s has %d cases", file, len(cases))
	}
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			res := policytest.Check(c)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if !res.Passed {
				t.Errorf("%s\ngot %s (%s), want %s", c.Description, res.Got.Decision, res.Got.Reason(), c.Expected)
			}
		})
	}
}

func TestRunReportsFailures(t *testing.T) {
	const allow = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`
	input := `{"id":"ok","policies":{"identity":[` + allow + `]},"request":{"principal":"arn:aws:sts::1:assumed-role/R/S","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{}},"expected":"Allow"}

{"id":"wrong","policies":{"identity":[` + allow + `]},"request":{"principal":"arn:aws:sts::1:assumed-role/R/S","action":"s3:PutObject","resource":"arn:aws:s3:::b/k","context":{"k":["a","b"]}},"expected":"Allow"}
{"id":"broken","policies":{"identity":[{"Statement":"nope"}]},"request":{"action":"s3:GetObject","resource":"*"},"expected":"ExplicitDeny"}
`
	var out bytes.Buffer
	passed, failed, err := policytest.Run(strings.NewReader(input), &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if passed != 1 || failed != 2 || len(lines) != 3 {
		t.Fatalf("passed %d failed %d, output:\n%s", passed, failed, out.String())
	}
	if !strings.HasPrefix(lines[0], "FAIL wrong: expected Allow, got ImplicitDeny (") || !strings.HasPrefix(lines[1], "FAIL broken: expected ExplicitDeny, got an error") {
		t.Errorf("failure lines:\n%s", out.String())
	}
	if lines[2] != "1 passed, 2 failed" {
		t.Errorf("summary = %q", lines[2])
	}
	if _, _, err := policytest.Run(strings.NewReader(`{"id":"x","expected":"Maybe"}`), &out); err == nil {
		t.Error("an invalid expected decision was accepted")
	}
}
