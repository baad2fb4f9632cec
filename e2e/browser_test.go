package e2e

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
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

// TestDemoServesUploadApp checks, without a browser, what the journey
// relies on: demo serves the app and a /config.json naming localhost
// origins, the app client's callback URL is that origin, the hosted UI's
// sign-in page answers at authBase, and an --app-listen port that is taken
// stops demo with a message instead of registering an origin it cannot
// serve.
func TestDemoServesUploadApp(t *testing.T) {
	bin := buildFedera(t)
	appAddr := freeAddr(t)
	srv := startBinary(t, bin, "demo", "--app-listen", appAddr)
	waitForLine(t, srv, "sts get-caller-identity", 60*time.Second)
	_, appPort, _ := net.SplitHostPort(appAddr)
	_, apiPort, _ := net.SplitHostPort(strings.TrimPrefix(srv.url, "http://"))

	get := func(url, host string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("http://"+appAddr+"/config.json", "localhost:"+appPort)
	var cfg map[string]string
	if err := json.Unmarshal([]byte(body), &cfg); code != 200 || err != nil {
		t.Fatalf("config.json: %d %v %q", code, err, body)
	}
	want := map[string]string{
		"redirectUri": "http://localhost:" + appPort,
		"endpoint":    "http://localhost:" + apiPort,
		"authBase":    "http://notes-demo.auth.localhost:" + apiPort,
		"bucket":      "notes-uploads",
		"region":      "us-east-1",
	}
	for k, v := range want {
		if cfg[k] != v {
			t.Errorf("config.json %s = %q, want %q", k, cfg[k], v)
		}
	}
	if code, body := get("http://"+appAddr+"/", "localhost:"+appPort); code != 200 || !strings.Contains(body, "app.js") {
		t.Errorf("GET / = %d, want the app's index.html", code)
	}
	if code, _ := get("http://"+appAddr+"/app.js", "localhost:"+appPort); code != 200 {
		t.Errorf("GET /app.js = %d", code)
	}

	cfgAWS := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), BaseEndpoint: aws.String(srv.url)}
	c, err := cip.NewFromConfig(cfgAWS).DescribeUserPoolClient(context.Background(), &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(cfg["userPoolId"]), ClientId: aws.String(cfg["clientId"])})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.UserPoolClient.CallbackURLs; len(got) != 1 || got[0] != cfg["redirectUri"] {
		t.Errorf("callback URLs %v, want [%s]", got, cfg["redirectUri"])
	}

	// The hosted UI is reached by its host name; the request goes to the
	// server's loopback address with that Host, as a browser's would.
	login := "http://" + strings.TrimPrefix(srv.url, "http://") + "/login?response_type=token&client_id=" + cfg["clientId"] +
		"&redirect_uri=" + cfg["redirectUri"] + "&state=s"
	if code, body := get(login, "notes-demo.auth.localhost:"+apiPort); code != 200 || !strings.Contains(body, `name="username"`) || !strings.Contains(body, `name="password"`) {
		t.Errorf("hosted UI sign-in page: %d %.300q", code, body)
	}

	// appAddr is now taken by the running demo.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "demo", "--listen", freeAddr(t), "--app-listen", appAddr, "--data-dir", t.TempDir()).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--app-listen") {
		t.Errorf("a second demo on a taken --app-listen: err %v, output %q; want a failure naming the flag", err, out)
	}
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
