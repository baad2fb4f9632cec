package e2e

import (
	"context"
	"encoding/json"
	"flag"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromiumPath is where Debian's chromium package puts the browser;
// scripts/install-browser installs it.
const chromiumPath = "/usr/bin/chromium"

// requireBrowser finds node, Debian's chromium and playwright-core (npm ci
// --prefix e2e/browser). With FEDERA_REQUIRE_BROWSER set, as scripts/test
// sets it, their absence fails the run instead of skipping.
func requireBrowser(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(chromiumPath)
	}
	if err == nil {
		_, err = os.Stat("browser/node_modules/playwright-core")
	}
	if err != nil {
		if os.Getenv("FEDERA_REQUIRE_BROWSER") != "" {
			t.Fatalf("node, %s and e2e/browser/node_modules are needed (scripts/test installs them: scripts/install-browser, npm ci --prefix e2e/browser): %v", chromiumPath, err)
		}
		t.Skipf("node, chromium or e2e/browser/node_modules missing (run scripts/install-browser and npm ci --prefix e2e/browser): %v", err)
	}
	return node
}

// artifactsDir is where the journey's screenshots go: $FEDERA_ARTIFACTS
// when set; the test's artifact directory under go test -artifacts
// -outputdir; otherwise e2e/browser/artifacts, which git ignores and which
// outlives the run.
func artifactsDir(t *testing.T) string {
	if dir := os.Getenv("FEDERA_ARTIFACTS"); dir != "" {
		return dir
	}
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		return t.ArtifactDir()
	}
	dir, err := filepath.Abs(filepath.Join("browser", "artifacts"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// journeyResult is the line e2e/browser/journey.mjs prints last.
type journeyResult struct {
	OK      bool   `json:"ok"`
	Error   string `json:"error"`
	TotalMs int    `json:"totalMs"`
	Steps   []struct {
		Step string `json:"step"`
		Ms   int    `json:"ms"`
	} `json:"steps"`
}

// TestBrowserJourney runs seed 004 end to end in a real browser against
// `federa demo` and the upload app it serves: sign up on the hosted UI,
// confirm with the code from the outbox, sign in (implicit flow), upload,
// list, download, the denial for another identity's folder, sign out, and
// sign in again with the code flow and PKCE. The steps are in
// e2e/browser/journey.mjs; each page's screenshot is kept (see
// artifactsDir).
func TestBrowserJourney(t *testing.T) {
	node := requireBrowser(t)
	bin := buildFedera(t)
	appAddr := freeAddr(t)
	srv := startBinary(t, bin, "demo", "--app-listen", appAddr)
	waitForLine(t, srv, "sts get-caller-identity", 60*time.Second)
	_, port, err := net.SplitHostPort(appAddr)
	if err != nil {
		t.Fatal(err)
	}
	// The browser must use localhost: it is the callback URL demo registered.
	appURL := "http://localhost:" + port + "/"
	if !strings.Contains(srv.log(), "Open "+strings.TrimSuffix(appURL, "/")+"/ and sign in") {
		t.Errorf("the demo walkthrough does not say to open %s:\n%s", appURL, srv.log())
	}
	artifacts := artifactsDir(t)
	t.Logf("screenshots in %s", artifacts)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "browser/journey.mjs")
	cmd.Env = append(os.Environ(), "APP_URL="+appURL, "FEDERA_ENDPOINT="+srv.url, "FEDERA_BIN="+bin, "FEDERA_ARTIFACTS="+artifacts)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var res journeyResult
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if jerr := json.Unmarshal([]byte(lines[len(lines)-1]), &res); jerr != nil || err != nil || !res.OK {
		t.Fatalf("journey failed (%v): %s\n--- journey ---\n%s%s\n--- server ---\n%s", err, res.Error, stderr.String(), out, tail(srv.log(), 6000))
	}
	for _, s := range res.Steps {
		t.Logf("%-22s %5d ms", s.Step, s.Ms)
	}
	t.Logf("journey: %d steps in %d ms", len(res.Steps), res.TotalMs)
	shots, _ := filepath.Glob(filepath.Join(artifacts, "*.png"))
	if len(shots) != len(res.Steps) {
		t.Errorf("%d screenshots for %d steps in %s", len(shots), len(res.Steps), artifacts)
	}
}
