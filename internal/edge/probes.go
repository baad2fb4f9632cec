package edge

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// federa's own endpoints live under /_federa/, which no bucket can shadow:
// bucket names have no '_'. Health checkers expect /healthz and /readyz at
// the root, where a bucket named healthz or readyz is legal, so the edge
// also answers those two paths, but only for what no S3 client sends to a
// bucket: an unsigned GET or HEAD with no query string, path style. An
// SDK's ListObjectsV2 carries ?list-type=2 and a signature, so it still
// reaches such a bucket; only an anonymous, query-less ListObjects (v1) or
// HeadBucket of a public bucket named healthz or readyz is answered by the
// probe instead — and /_federa/healthz always reaches the probe.
const opsPrefix = "/_federa/"

// Check is one condition of readiness.
type Check struct {
	// Name is what /readyz reports when the check fails, e.g. "store".
	Name string
	// Fn returns nil when the part is usable.
	Fn func(context.Context) error
}

// Probes answers liveness (/healthz: the process serves HTTP) and
// readiness (/readyz: every Check passes and the server is not draining).
type Probes struct {
	checks   []Check
	cacheFor time.Duration
	timeout  time.Duration
	log      *slog.Logger
	draining atomic.Bool

	mu     sync.Mutex
	at     time.Time
	failed []string
}

// NewProbes returns probes running checks. A result is reused for cacheFor,
// so that frequent or concurrent probes (several load balancers, or a flood
// of unauthenticated requests) cost one round of checks per period.
func NewProbes(cacheFor time.Duration, log *slog.Logger, checks ...Check) *Probes {
	if log == nil {
		log = slog.Default()
	}
	return &Probes{checks: checks, cacheFor: cacheFor, timeout: 5 * time.Second, log: log}
}

// SetCacheFor changes how long a result is reused (0: never), and forgets
// the last one.
func (p *Probes) SetCacheFor(d time.Duration) {
	p.mu.Lock()
	p.cacheFor, p.at = d, time.Time{}
	p.mu.Unlock()
}

// Drain makes readiness fail from now on: the server is shutting down and
// load balancers should send new requests elsewhere while it finishes
// those in flight.
func (p *Probes) Drain() { p.draining.Store(true) }

// Draining reports whether Drain was called.
func (p *Probes) Draining() bool { return p.draining.Load() }

// Ready runs the checks (or reuses a recent result) and returns the names
// of the failing parts; empty means ready.
func (p *Probes) Ready(ctx context.Context) []string {
	if p.Draining() {
		return []string{"draining"}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cacheFor > 0 && !p.at.IsZero() && time.Since(p.at) < p.cacheFor {
		return p.failed
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	var failed []string
	for _, c := range p.checks {
		if err := c.Fn(ctx); err != nil {
			// The cause stays in the log: the probe is unauthenticated.
			p.log.Warn("readiness check failed", "check", c.Name, "err", err)
			failed = append(failed, c.Name)
		}
	}
	p.at, p.failed = time.Now(), failed
	return failed
}

// Healthz answers 200 "ok" while the process serves HTTP.
func (p *Probes) Healthz(w http.ResponseWriter, _ *http.Request) {
	plainText(w, http.StatusOK, "ok\n")
}

// Readyz answers 200 "ready", or 503 naming the failing parts.
func (p *Probes) Readyz(w http.ResponseWriter, r *http.Request) {
	if failed := p.Ready(r.Context()); len(failed) > 0 {
		plainText(w, http.StatusServiceUnavailable, "not ready: "+strings.Join(failed, ", ")+"\n")
		return
	}
	plainText(w, http.StatusOK, "ready\n")
}

func plainText(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// OpsHandler serves the probes and metrics on a listener of their own
// (serve --metrics-listen): /healthz, /readyz, /metrics, and the same under
// /_federa/. metrics may be nil.
func OpsHandler(p *Probes, metrics http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !serveOps(w, r, strings.TrimPrefix(r.URL.Path, "/_federa"), p, metrics) {
			http.NotFound(w, r)
		}
	})
}

// serveOps answers path (/healthz, /readyz or /metrics) and reports
// whether it was one of them.
func serveOps(w http.ResponseWriter, r *http.Request, path string, p *Probes, metrics http.Handler) bool {
	var h http.HandlerFunc
	switch {
	case path == "/healthz" && p != nil:
		h = p.Healthz
	case path == "/readyz" && p != nil:
		h = p.Readyz
	case path == "/metrics" && metrics != nil:
		h = metrics.ServeHTTP
	default:
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		plainText(w, http.StatusMethodNotAllowed, "method not allowed\n")
		return true
	}
	h(w, r)
	return true
}

// ops answers federa's own endpoints on the main listener and reports
// whether r was one: anything under /_federa/, and the bare /healthz and
// /readyz when r cannot be an S3 request for a bucket of that name.
func (e *Edge) ops(w http.ResponseWriter, r *http.Request) bool {
	if e.probes == nil && e.metrics == nil {
		return false
	}
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, opsPrefix); ok {
		if !serveOps(w, r, "/"+rest, e.probes, e.metrics) {
			plainText(w, http.StatusNotFound, "not found\n")
		}
		return true
	}
	if path != "/healthz" && path != "/readyz" {
		return false
	}
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.URL.RawQuery != "" ||
		r.Header.Get("Authorization") != "" || hostBucket(r.Host, e.bases) != "" {
		return false
	}
	return serveOps(w, r, path, e.probes, nil)
}
