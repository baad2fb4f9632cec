package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/federa/federa/internal/audit"
	"github.com/federa/federa/internal/edge"
	"github.com/federa/federa/internal/metrics"
	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/store"
)

// The cost of the operations middleware on the request path: the same
// request through the edge with and without the observer (metrics and
// audit log), an endpoint that answers at once standing in for a service,
// so that only the edge's work is measured.
//
//	go test ./internal/app -run XXX -bench Middleware -benchmem

// nullAudit is a store that accepts entries and keeps none.
type nullAudit struct{}

func (nullAudit) AppendAudit(context.Context, ...store.AuditEvent) error { return nil }
func (nullAudit) ListAudit(context.Context, store.AuditFilter) ([]store.AuditEvent, error) {
	return nil, nil
}
func (nullAudit) DeleteAuditBefore(context.Context, time.Time) (int, error) { return 0, nil }

// quickS3 answers GET with a small body, and refuses /b/denied as s3 does
// after its authorizer noted why.
type quickS3 struct{}

func (quickS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/b/denied" {
		edge.NoteDenial(r.Context(), edge.Denial{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/denied", Reason: "no statement allows s3:GetObject on arn:aws:s3:::b/denied"})
		restxml.WriteError(w, r, s3.ErrAccessDenied.New("Access Denied"))
		return
	}
	_, _ = w.Write([]byte("hello"))
}

func (quickS3) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	restxml.WriteError(w, r, err)
}

func benchEdge(b *testing.B, observed bool, path string) {
	o := edge.Options{
		Endpoints: map[edge.Service]edge.Endpoint{edge.S3: quickS3{}},
		Region:    "us-east-1",
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if observed {
		m := metrics.New(prometheus.NewRegistry())
		log := audit.New(nullAudit{}, audit.Options{Region: "us-east-1", Account: "123456789012", Counters: m})
		b.Cleanup(func() { log.Close() })
		o.Observer = observer{metrics: m, audit: log}
	}
	e := edge.New(o)
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.RemoteAddr = "192.0.2.1:1234"
	b.ReportAllocs()
	for b.Loop() {
		e.ServeHTTP(httptest.NewRecorder(), r)
	}
}

func BenchmarkMiddleware(b *testing.B) {
	for _, tc := range []struct{ name, path string }{{"GetObject", "/b/k"}, {"AccessDenied", "/b/denied"}} {
		b.Run(tc.name+"/without", func(b *testing.B) { benchEdge(b, false, tc.path) })
		b.Run(tc.name+"/with", func(b *testing.B) { benchEdge(b, true, tc.path) })
	}
}

type benchKey struct{}

// BenchmarkObserver is the observer alone, on the edge's record of an
// answered request: what the middleware adds to each request besides the
// context value that carries denials.
func BenchmarkObserver(b *testing.B) {
	m := metrics.New(prometheus.NewRegistry())
	log := audit.New(nullAudit{}, audit.Options{Region: "us-east-1", Account: "123456789012", Counters: m, QueueSize: 1 << 20})
	b.Cleanup(func() { log.Close() })
	o := observer{metrics: m, audit: log}
	ok := &edge.Request{Service: edge.S3, Operation: "GetObject", Status: 200, Bucket: "b", Duration: time.Millisecond}
	b.Run("GetObject", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			o.Observe(ok)
		}
	})
	ctx := context.Background()
	b.Run("AccessDenied", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := &edge.Request{Service: edge.S3, Operation: "GetObject", Status: 403, Code: "AccessDenied", Bucket: "b", Duration: time.Millisecond}
			c := context.WithValue(ctx, benchKey{}, 0) // stands in for the edge's own context value
			edge.NoteDenial(c, edge.Denial{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Reason: "no statement allows s3:GetObject on arn:aws:s3:::b/k"})
			o.Observe(r)
		}
	})
}
