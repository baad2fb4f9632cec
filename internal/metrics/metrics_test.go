package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/edge"
)

// TestTextFormat pins the exposition: HELP and TYPE lines, escaped label
// values, series sorted by labels, cumulative histogram buckets ending in
// +Inf, _sum and _count.
func TestMetricsTextFormat(t *testing.T) {
	reg := NewRegistry()
	c := reg.NewCounterVec("t_requests_total", "Requests\nby kind.", "kind", "code")
	c.With("b", "").Inc()
	c.With("a", `q"uo\te`+"\n").Add(2)
	h := reg.NewHistogramVec("t_seconds", "Latency.", []float64{0.1, 1}, "op")
	h.With("x").Observe(0.05)
	h.With("x").Observe(0.5)
	h.With("x").Observe(7)
	reg.NewGaugeFunc("t_up", "Up.", func() float64 { return 1 })

	var b strings.Builder
	if err := reg.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP t_requests_total Requests\nby kind.
# TYPE t_requests_total counter
t_requests_total{kind="a",code="q\"uo\\te\n"} 2
t_requests_total{kind="b",code=""} 1
# HELP t_seconds Latency.
# TYPE t_seconds histogram
t_seconds_bucket{op="x",le="0.1"} 1
t_seconds_bucket{op="x",le="1"} 2
t_seconds_bucket{op="x",le="+Inf"} 3
t_seconds_sum{op="x"} 7.55
t_seconds_count{op="x"} 3
# HELP t_up Up.
# TYPE t_up gauge
t_up 1
`
	if b.String() != want {
		t.Errorf("exposition:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestMetricsRegistryRefusesMistakes(t *testing.T) {
	reg := NewRegistry()
	c := reg.NewCounterVec("x_total", "x", "a")
	for name, f := range map[string]func(){
		"twice":       func() { reg.NewCounterVec("x_total", "x") },
		"label count": func() { c.With("1", "2") },
		"too many":    func() { reg.NewCounterVec("y_total", "y", "a", "b", "c", "d", "e") },
		"unsorted":    func() { reg.NewHistogramVec("z", "z", []float64{2, 1}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestConcurrentUpdates: counts and histograms lose nothing under
// concurrent use (run with -race).
func TestMetricsConcurrentUpdates(t *testing.T) {
	reg := NewRegistry()
	c := reg.NewCounterVec("c_total", "c", "k")
	h := reg.NewHistogramVec("h", "h", []float64{1}, "k")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 1000 {
				c.With("same").Inc()
				h.With([]string{"a", "b"}[(i+j)%2]).Observe(0.5)
			}
		}()
	}
	wg.Wait()
	if got := c.With("same").Value(); got != 8000 {
		t.Errorf("counter = %d", got)
	}
	if got := h.With("a").Count() + h.With("b").Count(); got != 8000 {
		t.Errorf("histogram count = %d", got)
	}
}

func TestMetricsObserve(t *testing.T) {
	reg := NewRegistry()
	m := New(reg)
	m.Observe(&edge.Request{Service: edge.STS, Operation: "AssumeRoleWithWebIdentity", Status: 200, Duration: 3 * time.Millisecond})
	m.Observe(&edge.Request{Service: edge.CognitoIdentity, Operation: "GetCredentialsForIdentity", Status: 400, Code: "NotAuthorizedException"})
	m.Observe(&edge.Request{Service: edge.CognitoIDP, Operation: "InitiateAuth", Status: 200, SignIn: &edge.SignIn{Flow: "USER_SRP_AUTH", Result: "challenge"}})
	m.Decision(access.Decision{Allowed: true})
	m.Decision(access.Decision{Explicit: true})
	m.Decision(access.Decision{})
	m.AuditRecorded("denied")
	m.AuditDropped(3)

	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`federa_requests_total{service="sts",operation="AssumeRoleWithWebIdentity",status="200",code=""} 1`,
		`federa_request_duration_seconds_bucket{service="sts",operation="AssumeRoleWithWebIdentity",le="0.005"} 1`,
		`federa_credential_vends_total{operation="AssumeRoleWithWebIdentity",result="success"} 1`,
		`federa_credential_vends_total{operation="GetCredentialsForIdentity",result="NotAuthorizedException"} 1`,
		`federa_sign_ins_total{flow="USER_SRP_AUTH",result="challenge"} 1`,
		`federa_authorization_decisions_total{result="allow"} 1`,
		`federa_authorization_decisions_total{result="explicit_deny"} 1`,
		`federa_authorization_decisions_total{result="implicit_deny"} 1`,
		`federa_audit_events_total{kind="denied"} 1`,
		`federa_audit_events_dropped_total 3`,
		`federa_audit_write_failures_total 0`,
		"# TYPE go_goroutines gauge",
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(body, `operation="InitiateAuth",result`) {
		t.Error("a sign-in counted as a credential vend")
	}
}

// BenchmarkObserve is the metrics' share of a request's cost.
func BenchmarkObserve(b *testing.B) {
	m := New(NewRegistry())
	r := &edge.Request{Service: edge.S3, Operation: "GetObject", Status: 200, Duration: time.Millisecond}
	b.ReportAllocs()
	for b.Loop() {
		m.Observe(r)
	}
}
