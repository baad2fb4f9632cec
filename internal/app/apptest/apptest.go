// Package apptest starts an in-process federa for tests, on a loopback port
// with its own data directory, and hands out SDK configurations for the root
// key and for temporary credentials. Its clock can be moved, and the server
// can be restarted on the same address and data to test durability.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/federa/federa/internal/app"
)

// Root is the root key every test server accepts.
var Root = app.RootCredentials{AccessKeyID: "AKIAFEDERATESTROOT01", SecretAccessKey: "federa-test-root-secret-0000000000000000"}

// Region and Account are the test server's region and account.
const (
	Region  = "us-east-1"
	Account = "123456789012"
)

// Server is a running in-process federa.
type Server struct {
	// URL is the endpoint, e.g. http://127.0.0.1:38123.
	URL     string
	DataDir string
	Clock   *Clock

	t      testing.TB
	addr   string
	cancel context.CancelFunc
	done   chan error
	app    *app.App
	// configure changes the options at every start.
	configure func(*app.Options)
}

// NewServer starts a server that stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	return NewServerWith(t, nil)
}

// NewServerWith starts a server whose options configure changes first (an
// SMTP URL, say).
func NewServerWith(t testing.TB, configure func(*app.Options)) *Server {
	t.Helper()
	s := &Server{t: t, DataDir: t.TempDir(), Clock: &Clock{}, configure: configure}
	s.start("127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) start(addr string) {
	s.t.Helper()
	var ln net.Listener
	var err error
	// Re-binding the same port right after a close can briefly fail.
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("listen %s: %v", addr, err)
	}
	s.addr = ln.Addr().String()
	s.URL = "http://" + s.addr
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{s.t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	opts := app.Options{
		DataDir: s.DataDir, Region: Region, AccountID: Account, PublicURL: s.URL, Root: Root,
		BaseDomains: []string{"s3.localhost", "localhost"}, Now: s.Clock.Now, Logger: logger,
		// Every test server seals its secrets, so the whole suite runs
		// through cryptstore; the key sits in its data directory.
		MasterKey: app.MasterKeySource{Generate: true},
	}
	if s.configure != nil {
		s.configure(&opts)
	}
	if opts.TLSCertFile != "" {
		// A TLS server is reached, and names its issuers, over https.
		s.URL = "https://" + s.addr
		opts.PublicURL = s.URL
	}
	a, err := app.New(context.Background(), opts)
	if err != nil {
		s.t.Fatalf("app.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.app, s.cancel, s.done = a, cancel, make(chan error, 1)
	go func() { s.done <- a.Serve(ctx, ln) }()
}

// Stop shuts the server down; calling it twice is harmless.
func (s *Server) Stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	if err := <-s.done; err != nil && err != http.ErrServerClosed {
		s.t.Errorf("serve: %v", err)
	}
	if err := s.app.Close(); err != nil {
		s.t.Errorf("close: %v", err)
	}
	s.cancel = nil
}

// Restart stops the server and starts a new one on the same address and data
// directory, as a user restarting the binary would.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.start(s.addr)
}

// Config returns an SDK configuration signed with creds against this server.
func (s *Server) Config(creds aws.CredentialsProvider) aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  creds,
		BaseEndpoint: aws.String(s.URL),
		// Retries would hide the first answer, which is what tests assert.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// RootConfig is Config with the root key.
func (s *Server) RootConfig() aws.Config {
	return s.Config(credentials.NewStaticCredentialsProvider(Root.AccessKeyID, Root.SecretAccessKey, ""))
}

// Clock is a test clock: real time plus an offset that tests can advance.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
