package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/edge"
)

// scrape returns the text exposition of m.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	return w.Body.String()
}

func TestMetricsObserve(t *testing.T) {
	m := New(prometheus.NewRegistry())
	m.Observe(&edge.Request{Service: edge.STS, Operation: "AssumeRoleWithWebIdentity", Status: 200, Duration: 3 * time.Millisecond})
	m.Observe(&edge.Request{Service: edge.CognitoIdentity, Operation: "GetCredentialsForIdentity", Status: 400, Code: "NotAuthorizedException"})
	m.Observe(&edge.Request{Service: edge.CognitoIDP, Operation: "InitiateAuth", Status: 200, SignIn: &edge.SignIn{Flow: "USER_SRP_AUTH", Result: "challenge"}})
	m.Observe(&edge.Request{Service: edge.S3, Operation: "GetObject", Status: 403, Code: "AccessDenied"})
	m.Decision(access.Decision{Allowed: true})
	m.Decision(access.Decision{Explicit: true})
	m.Decision(access.Decision{})
	m.AuditRecorded("denied")
	m.AuditDropped(3)

	body := scrape(t, m)
	for _, want := range []string{
		`federa_requests_total{code="",operation="AssumeRoleWithWebIdentity",service="sts",status="200"} 1`,
		`federa_requests_total{code="AccessDenied",operation="GetObject",service="s3",status="403"} 1`,
		`federa_request_duration_seconds_bucket{operation="AssumeRoleWithWebIdentity",service="sts",le="0.005"} 1`,
		`federa_request_duration_seconds_count{operation="GetObject",service="s3"} 1`,
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
		"# TYPE process_start_time_seconds gauge",
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(body, `operation="InitiateAuth",result`) {
		t.Error("a sign-in counted as a credential vend")
	}
}

// TestMetricsConcurrentObserve: counts lose nothing under concurrent use
// (run with -race), new label values included.
func TestMetricsConcurrentObserve(t *testing.T) {
	m := New(prometheus.NewRegistry())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 500 {
				m.Observe(&edge.Request{Service: edge.S3, Operation: []string{"GetObject", "PutObject"}[(i+j)%2], Status: 200})
			}
		}()
	}
	wg.Wait()
	body := scrape(t, m)
	for _, op := range []string{"GetObject", "PutObject"} {
		if !strings.Contains(body, `federa_requests_total{code="",operation="`+op+`",service="s3",status="200"} 2000`+"\n") {
			t.Errorf("%s not counted 2000 times:\n%s", op, body)
		}
	}
}

// BenchmarkObserve is the metrics' share of a request's cost.
func BenchmarkObserve(b *testing.B) {
	m := New(prometheus.NewRegistry())
	r := &edge.Request{Service: edge.S3, Operation: "GetObject", Status: 200, Duration: time.Millisecond}
	b.ReportAllocs()
	for b.Loop() {
		m.Observe(r)
	}
}
