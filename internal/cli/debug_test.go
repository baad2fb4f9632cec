package cli

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestDebugMux(t *testing.T) {
	srv := httptest.NewServer(debugMux())
	defer srv.Close()
	for _, tt := range []struct{ path, want string }{
		{"/debug/pprof/", "Types of profiles available"},
		{"/debug/pprof/heap?debug=1", "heap profile:"},
		{"/debug/pprof/goroutine?debug=1", "goroutine profile:"},
		{"/debug/pprof/cmdline", os.Args[0]},
		{"/debug/pprof/symbol", "num_symbols:"},
	} {
		code, body := get(t, srv.URL+tt.path)
		if code != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s = %d, body %.200q; want 200 with %q", tt.path, code, body, tt.want)
		}
	}
	if code, _ := get(t, srv.URL+"/"); code != http.StatusNotFound {
		t.Errorf("GET / = %d, want 404: the debug mux serves profiles only", code)
	}
}

// TestDebugListenOffByDefault: with neither --debug-listen nor
// FEDERA_DEBUG_LISTEN, the address is empty and startDebug listens nowhere.
func TestDebugListenOffByDefault(t *testing.T) {
	t.Setenv("FEDERA_DEBUG_LISTEN", "") // restored after the test
	os.Unsetenv("FEDERA_DEBUG_LISTEN")
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var f serveFlags
	f.register(fs)
	if err := parseFlags(fs, nil, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if f.debugListen != "" {
		t.Fatalf("debug listen = %q by default, want off", f.debugListen)
	}
	addr, stop, err := startDebug(f.debugListen, slog.New(slog.DiscardHandler))
	if err != nil || addr != nil {
		t.Fatalf("startDebug(\"\") = %v, %v; want no listener", addr, err)
	}
	stop()

	t.Setenv("FEDERA_DEBUG_LISTEN", "127.0.0.1:6060")
	if err := parseFlags(fs, nil, &bytes.Buffer{}); err != nil || f.debugListen != "127.0.0.1:6060" {
		t.Errorf("from FEDERA_DEBUG_LISTEN: %q, %v", f.debugListen, err)
	}
}

// syncBuffer is a bytes.Buffer that the server's goroutines may write while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// await returns re's first submatch once it appears in b.
func (b *syncBuffer) await(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(b.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no %s in output %q", re, b.String())
	return ""
}

// TestServeDebugListen runs `federa serve --debug-listen`: profiles are
// served on the debug address and not on the main one, and the debug
// listener closes when the server stops.
func TestServeDebugListen(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--listen", "127.0.0.1:0", "--debug-listen", "127.0.0.1:0", "--data-dir", t.TempDir()},
			&stdout, &stderr, false)
	}()
	mainURL := stdout.await(t, regexp.MustCompile(`listening on (http://\S+)`))
	debug := stderr.await(t, regexp.MustCompile(`debug listener serving net/http/pprof" addr=(\S+)`))

	if code, body := get(t, "http://"+debug+"/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "Types of profiles available") {
		t.Errorf("debug listener: GET /debug/pprof/ = %d, %.200q", code, body)
	}
	if code, body := get(t, mainURL+"/debug/pprof/"); code == http.StatusOK || strings.Contains(body, "profiles") {
		t.Errorf("main listener serves profiles: GET /debug/pprof/ = %d, %.200q", code, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if c, err := net.Dial("tcp", debug); err == nil {
		c.Close()
		t.Error("debug listener still accepts connections after the server stopped")
	}
}
