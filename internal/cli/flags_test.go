package cli

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestFlagsFromEnvironment(t *testing.T) {
	t.Setenv("FEDERA_DATA_DIR", "/env/data")
	t.Setenv("FEDERA_REGION", "eu-west-1")
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var f serveFlags
	f.register(fs)
	if err := parseFlags(fs, []string{"--region", "ap-south-1"}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if f.dataDir != "/env/data" {
		t.Errorf("data dir = %q, want it from FEDERA_DATA_DIR", f.dataDir)
	}
	if f.region != "ap-south-1" {
		t.Errorf("region = %q, want the command line to win over FEDERA_REGION", f.region)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	f := serveFlags{region: "moon", accountID: "12", rootKeyID: "AKIA", dataDir: "", publicURL: "ftp://x", tlsCert: "cert.pem"}
	err := f.validate()
	if err == nil {
		t.Fatal("bad flags accepted")
	}
	for _, want := range []string{"--region", "--account-id", "--root-secret-access-key", "--data-dir", "--public-url", "--tls-key"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	good := serveFlags{region: "us-east-1", accountID: "000000000000", dataDir: "d"}
	if err := good.validate(); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
}

func TestMainUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main(t.Context(), []string{"bogus"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "unknown command") {
		t.Errorf("bogus command: code %d, stderr %q", code, errb.String())
	}
	out.Reset()
	if code := Main(t.Context(), []string{"version"}, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "federa ") {
		t.Errorf("version: code %d, out %q", code, out.String())
	}
}
