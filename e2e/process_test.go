package e2e

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// federaProc is a built `federa serve` running as its own process on a fixed
// address and data directory, so that it can be killed and started again on
// the same data, and its memory read from /proc.
type federaProc struct {
	t       testing.TB
	bin     string
	addr    string
	dataDir string
	logPath string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
}

// newFederaProc prepares (but does not start) a server on a free loopback
// port with a fresh data directory.
func newFederaProc(t testing.TB, bin string) *federaProc {
	t.Helper()
	addr := freeAddr(t)
	dir := t.TempDir()
	p := &federaProc{t: t, bin: bin, addr: addr, dataDir: filepath.Join(dir, "data"), logPath: filepath.Join(dir, "server.log")}
	t.Cleanup(p.stop)
	return p
}

func (p *federaProc) url() string { return "http://" + p.addr }

// start runs the server and waits until it accepts connections. The log of
// every run is appended to one file.
func (p *federaProc) start() {
	p.t.Helper()
	logf, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		p.t.Fatal(err)
	}
	cmd := exec.Command(p.bin, "serve", "--listen", p.addr, "--data-dir", p.dataDir, "--account-id", "123456789012",
		"--root-access-key-id", cliRootKey, "--root-secret-access-key", cliRootSecret)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		p.t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(exited) }()
	p.mu.Lock()
	p.cmd, p.exited = cmd, exited
	p.mu.Unlock()

	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			p.t.Fatalf("federa exited at start:\n%s", p.log())
		default:
		}
		if c, err := net.Dial("tcp", p.addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("federa did not listen on %s:\n%s", p.addr, p.log())
}

// pid is the running server's process id.
func (p *federaProc) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd.Process.Pid
}

// take hands over the running process (nil when none), so only one caller
// ends it.
func (p *federaProc) take() (*exec.Cmd, chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cmd, exited := p.cmd, p.exited
	p.cmd = nil
	return cmd, exited
}

// kill ends the server with SIGKILL, as a crash or the OOM killer would, and
// waits until it is gone.
func (p *federaProc) kill() {
	cmd, exited := p.take()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-exited
}

// stop ends the server gracefully (SIGTERM), killing it if it lingers.
func (p *federaProc) stop() {
	cmd, exited := p.take()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-exited
	}
}

func (p *federaProc) log() string {
	data, _ := os.ReadFile(p.logPath)
	return string(data)
}

// peakRSS is the server's peak resident set size (VmHWM) in bytes.
func (p *federaProc) peakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid()) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// s3Client is an SDK client for the root key without retries (a retry
// would hide which attempt the server acknowledged). httpClient may be nil.
func (p *federaProc) s3Client(httpClient *http.Client, optFns ...func(*s3.Options)) *s3.Client {
	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(cliRootKey, cliRootSecret, ""),
		BaseEndpoint: aws.String(p.url()),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
	if httpClient != nil {
		cfg.HTTPClient = httpClient
	}
	return s3.NewFromConfig(cfg, append([]func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}, optFns...)...)
}

// createBucket creates a bucket as root.
func (p *federaProc) createBucket(name string) {
	p.t.Helper()
	_, err := p.s3Client(nil).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	if err != nil {
		p.t.Fatalf("CreateBucket %s: %v\n%s", name, err, p.log())
	}
}
