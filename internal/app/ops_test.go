package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func newTestApp(t *testing.T, configure func(*Options)) *App {
	t.Helper()
	o := Options{DataDir: t.TempDir(), Region: "us-east-1", AccountID: "123456789012", PublicURL: "http://127.0.0.1",
		Root:   RootCredentials{AccessKeyID: "AKIAOPSTEST000000001", SecretAccessKey: "ops-test-secret"},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if configure != nil {
		configure(&o)
	}
	a, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func get(h http.Handler, path string) (int, string) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w.Code, w.Body.String()
}

// TestReadyzFailsWhenStoreClosed: /readyz asks the store; once it is
// closed the probe fails and names it, while /healthz still answers.
func TestHealthReadyzFailsWhenStoreClosed(t *testing.T) {
	a := newTestApp(t, nil)
	if code, body := get(a.Handler, "/readyz"); code != 200 {
		t.Fatalf("open store: %d %q", code, body)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a.probes.SetCacheFor(0) // the open store's answer is cached for a second
	if code, body := get(a.Handler, "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "store") {
		t.Errorf("closed store: %d %q", code, body)
	}
	if code, _ := get(a.Handler, "/healthz"); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
}

// TestOpsHandlerReportsDrain: the metrics listener's /readyz fails from
// the moment Serve's context ends, while a slow request on the main
// listener still runs, and /metrics is served there and only there.
func TestOpsHandlerReportsDrain(t *testing.T) {
	a := newTestApp(t, nil)
	defer a.Close()
	ops := a.OpsHandler()
	if code, body := get(ops, "/metrics"); code != 200 || !strings.Contains(body, "federa_audit_events_dropped_total 0") {
		t.Fatalf("/metrics on the ops listener: %d %.200q", code, body)
	}
	if code, _ := get(a.Handler, "/_federa/metrics"); code != http.StatusNotFound {
		t.Errorf("/_federa/metrics on the main listener without MetricsPublic: %d", code)
	}

	// A handler that blocks stands in for a slow request in flight.
	release := make(chan struct{})
	started := make(chan struct{})
	main := a.Handler
	a.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			<-release
			w.WriteHeader(http.StatusNoContent)
			return
		}
		main.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	<-started
	cancel()
	deadline := time.Now().Add(2 * time.Second)
	for code, _ := get(ops, "/readyz"); code != http.StatusServiceUnavailable; code, _ = get(ops, "/readyz") {
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not fail after shutdown began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if code := <-slow; code != http.StatusNoContent {
		t.Errorf("the request in flight got %d", code)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// TestShutdownTimeoutCutsOff: a request that outlives ShutdownTimeout is
// cut off and Serve says so.
func TestOpsShutdownTimeoutCutsOff(t *testing.T) {
	a := newTestApp(t, func(o *Options) { o.ShutdownTimeout = 50 * time.Millisecond })
	defer a.Close()
	started := make(chan struct{})
	a.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done() // until the connection is cut
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	go func() {
		if resp, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	cancel()
	if err := <-served; err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Errorf("Serve: %v, want the requests cut off", err)
	}
}
