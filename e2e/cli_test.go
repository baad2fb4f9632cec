package e2e

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAWSCLIWalkthrough builds the federa binary, starts `federa serve`, and
// runs examples/walkthrough/walkthrough.sh — the README's commands — with the
// real aws CLI. scripts/test sets FEDERA_REQUIRE_AWS_CLI=1 so that a missing
// CLI fails the run instead of skipping.
func TestAWSCLIWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("FEDERA_REQUIRE_AWS_CLI") != "" {
			t.Fatal("the aws CLI is not on PATH; install it with: pip install awscli")
		}
		t.Skip("the aws CLI is not on PATH (pip install awscli); scripts/test requires it")
	}
	bin := buildFedera(t)
	srv := startBinary(t, bin, "serve")
	script, _ := filepath.Abs("../examples/walkthrough/walkthrough.sh")
	cmd := exec.Command("bash", script)
	cmd.Env = append(os.Environ(), "FEDERA_ENDPOINT="+srv.url, "AWS_ACCESS_KEY_ID="+cliRootKey, "AWS_SECRET_ACCESS_KEY="+cliRootSecret,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_SESSION_TOKEN=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walkthrough failed: %v\n%s\n--- server log ---\n%s", err, out, srv.log())
	}
	if !strings.Contains(string(out), "walkthrough OK") {
		t.Fatalf("walkthrough did not finish:\n%s", out)
	}
}

const (
	cliRootKey    = "AKIACLIWALKTHROUGH01"
	cliRootSecret = "cli-walkthrough-secret-000000000000000000"
)

func buildFedera(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "federa")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/federa")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type binaryServer struct {
	url     string
	logPath string
}

func (b *binaryServer) log() string {
	data, _ := os.ReadFile(b.logPath)
	return string(data)
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startBinary runs the built binary with a fresh data directory on a free
// loopback port and waits until it accepts connections.
func startBinary(t *testing.T, bin, sub string, extra ...string) *binaryServer {
	t.Helper()
	addr := freeAddr(t)
	dir := t.TempDir()
	args := append([]string{sub, "--listen", addr, "--data-dir", filepath.Join(dir, "data"), "--account-id", "123456789012"}, extra...)
	if sub == "serve" {
		args = append(args, "--root-access-key-id", cliRootKey, "--root-secret-access-key", cliRootSecret)
	}
	logPath := filepath.Join(dir, "server.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
		}
		logf.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return &binaryServer{url: "http://" + addr, logPath: logPath}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("federa did not start listening on %s:\n%s", addr, (&binaryServer{logPath: logPath}).log())
	return nil
}

// waitForLine waits until the server log contains s.
func waitForLine(t *testing.T, b *binaryServer, s string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(b.log()))
		for sc.Scan() {
			if strings.Contains(sc.Text(), s) {
				return b.log()
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server log never contained %q:\n%s", s, b.log())
	return ""
}
