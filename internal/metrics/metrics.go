package metrics

import (
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/edge"
)

// durationBuckets span a cached credential vend (well under a millisecond)
// to a large S3 transfer (a minute).
var durationBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Metrics are federa's series. Observe satisfies edge.Observer; Decision
// counts the authorizer's answers; the audit log reports its queue
// through AuditRecorded and AuditDropped.
type Metrics struct {
	reg       *Registry
	requests  *CounterVec
	duration  *HistogramVec
	signIns   *CounterVec
	vends     *CounterVec
	decisions *CounterVec
	audit     *CounterVec
	dropped   *Counter
	failed    *Counter
}

var _ edge.Observer = (*Metrics)(nil)

// New registers federa's metrics, and the process's, in reg.
func New(reg *Registry) *Metrics {
	m := &Metrics{
		reg: reg,
		requests: reg.NewCounterVec("federa_requests_total",
			"Requests answered, by service, operation, HTTP status and AWS error code (empty on success).",
			"service", "operation", "status", "code"),
		duration: reg.NewHistogramVec("federa_request_duration_seconds",
			"Time from receiving a request to the end of its answer, by service and operation.",
			durationBuckets, "service", "operation"),
		signIns: reg.NewCounterVec("federa_sign_ins_total",
			"Sign-in steps (InitiateAuth, RespondToAuthChallenge, their Admin forms, the hosted UI's form and token endpoint) by flow and result: success (tokens or a code issued), challenge (another step asked for) or failure.",
			"flow", "result"),
		vends: reg.NewCounterVec("federa_credential_vends_total",
			"Temporary credentials asked for (GetCredentialsForIdentity, AssumeRole*), by operation and result (success or the AWS error code).",
			"operation", "result"),
		decisions: reg.NewCounterVec("federa_authorization_decisions_total",
			"IAM policy evaluations, by result: allow, explicit_deny or implicit_deny. The root key is allowed without one.",
			"result"),
		audit: reg.NewCounterVec("federa_audit_events_total",
			"Audit log entries queued for the store, by kind (change or denied).", "kind"),
	}
	dropped := reg.NewCounterVec("federa_audit_events_dropped_total",
		"Audit log entries dropped because the queue to the store was full.")
	failed := reg.NewCounterVec("federa_audit_write_failures_total",
		"Batches of audit log entries the store refused (their entries are lost).")
	m.dropped, m.failed = dropped.With(), failed.With()
	registerProcess(reg)
	return m
}

// Handler serves the metrics to a scraper.
func (m *Metrics) Handler() http.Handler { return m.reg.Handler() }

// Observe counts one answered request (edge.Observer).
func (m *Metrics) Observe(r *edge.Request) {
	svc := r.Service.String()
	m.requests.With(svc, r.Operation, statusText(r.Status), r.Code).Inc()
	m.duration.With(svc, r.Operation).Observe(r.Duration.Seconds())
	if r.SignIn != nil {
		m.signIns.With(r.SignIn.Flow, r.SignIn.Result).Inc()
	}
	if isVend(r.Service, r.Operation) {
		result := "success"
		if r.Status >= 300 {
			result = r.Code
			if result == "" {
				result = "error"
			}
		}
		m.vends.With(r.Operation, result).Inc()
	}
}

// isVend reports whether an operation hands out temporary credentials.
func isVend(svc edge.Service, op string) bool {
	switch svc {
	case edge.CognitoIdentity:
		return op == "GetCredentialsForIdentity"
	case edge.STS:
		return strings.HasPrefix(op, "AssumeRole")
	}
	return false
}

// Decision counts one authorization decision.
func (m *Metrics) Decision(d access.Decision) {
	switch {
	case d.Allowed:
		m.decisions.With("allow").Inc()
	case d.Explicit:
		m.decisions.With("explicit_deny").Inc()
	default:
		m.decisions.With("implicit_deny").Inc()
	}
}

// AuditRecorded counts an audit entry queued for the store.
func (m *Metrics) AuditRecorded(kind string) { m.audit.With(kind).Inc() }

// AuditDropped counts audit entries lost to a full queue.
func (m *Metrics) AuditDropped(n int) { m.dropped.Add(uint64(n)) }

// AuditWriteFailed counts a batch the store refused.
func (m *Metrics) AuditWriteFailed() { m.failed.Inc() }

// statuses holds the decimal form of every HTTP status, so that labelling
// one allocates nothing.
var statuses = func() (s [600]string) {
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

func statusText(code int) string {
	if code >= 0 && code < len(statuses) {
		return statuses[code]
	}
	return strconv.Itoa(code)
}

// registerProcess adds the few process series operators look at first.
func registerProcess(reg *Registry) {
	start := float64(time.Now().UnixNano()) / 1e9
	reg.NewGaugeFunc("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.",
		func() float64 { return start })
	reg.NewGaugeFunc("go_goroutines", "Number of goroutines that currently exist.",
		func() float64 { return float64(runtime.NumGoroutine()) })
	reg.NewGaugeFunc("go_memstats_heap_alloc_bytes", "Bytes of allocated heap objects.",
		func() float64 { return runtimeValue("/memory/classes/heap/objects:bytes") })
	reg.NewGaugeFunc("go_memstats_sys_bytes", "Bytes of memory obtained from the OS.",
		func() float64 { return runtimeValue("/memory/classes/total:bytes") })
	reg.NewCounterFunc("go_gc_cycles_total", "Completed GC cycles.",
		func() float64 { return runtimeValue("/gc/cycles/total:gc-cycles") })
}

// runtimeValue reads one runtime/metrics value without stopping the world
// (runtime.ReadMemStats would).
func runtimeValue(name string) float64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	switch s[0].Value.Kind() {
	case metrics.KindUint64:
		return float64(s[0].Value.Uint64())
	case metrics.KindFloat64:
		return s[0].Value.Float64()
	}
	return 0
}
