package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/edge"
)

// durationBuckets span a cached credential vend (well under a millisecond)
// to a large S3 transfer (a minute).
var durationBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Metrics are federa's series. Observe satisfies edge.Observer; Decision
// counts the authorizer's answers; the audit log reports its queue
// through AuditRecorded, AuditDropped and AuditWriteFailed.
type Metrics struct {
	gatherer  prometheus.Gatherer
	requests  *children[prometheus.Counter]
	duration  *children[prometheus.Observer]
	signIns   *prometheus.CounterVec
	vends     *prometheus.CounterVec
	decisions [3]prometheus.Counter // allow, explicit_deny, implicit_deny
	audit     *prometheus.CounterVec
	dropped   prometheus.Counter
	failed    prometheus.Counter
}

var _ edge.Observer = (*Metrics)(nil)

// New registers federa's metrics, and the Go runtime's and the process's,
// in reg, which the caller creates: there is no global registry.
func New(reg *prometheus.Registry) *Metrics {
	f := registrar{reg}
	requests := f.counterVec("federa_requests_total",
		"Requests answered, by service, operation, HTTP status and AWS error code (empty on success).",
		"service", "operation", "status", "code")
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "federa_request_duration_seconds",
		Help: "Time from receiving a request to the end of its answer, by service and operation.", Buckets: durationBuckets},
		[]string{"service", "operation"})
	reg.MustRegister(duration)
	decisions := f.counterVec("federa_authorization_decisions_total",
		"IAM policy evaluations, by result: allow, explicit_deny or implicit_deny. The root key is allowed without one.", "result")
	m := &Metrics{
		gatherer: reg,
		requests: newChildren(func(lv [4]string) prometheus.Counter { return requests.WithLabelValues(lv[:]...) }),
		duration: newChildren(func(lv [4]string) prometheus.Observer { return duration.WithLabelValues(lv[0], lv[1]) }),
		signIns: f.counterVec("federa_sign_ins_total",
			"Sign-in steps (InitiateAuth, RespondToAuthChallenge, their Admin forms, the hosted UI's form and token endpoint) by flow and result: success (tokens or a code issued), challenge (another step asked for) or failure.",
			"flow", "result"),
		vends: f.counterVec("federa_credential_vends_total",
			"Temporary credentials asked for (GetCredentialsForIdentity, AssumeRole*), by operation and result (success or the AWS error code).",
			"operation", "result"),
		decisions: [3]prometheus.Counter{decisions.WithLabelValues("allow"), decisions.WithLabelValues("explicit_deny"), decisions.WithLabelValues("implicit_deny")},
		audit:     f.counterVec("federa_audit_events_total", "Audit log entries queued for the store, by kind (change or denied).", "kind"),
		dropped:   f.counter("federa_audit_events_dropped_total", "Audit log entries dropped because the queue to the store was full."),
		failed:    f.counter("federa_audit_write_failures_total", "Batches of audit log entries the store refused (their entries are lost)."),
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics to a scraper, in the format it asks for.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.gatherer, promhttp.HandlerOpts{})
}

// Observe counts one answered request (edge.Observer).
func (m *Metrics) Observe(r *edge.Request) {
	svc := r.Service.String()
	m.requests.get([4]string{svc, r.Operation, statusText(r.Status), r.Code}).Inc()
	m.duration.get([4]string{svc, r.Operation}).Observe(r.Duration.Seconds())
	if r.SignIn != nil {
		m.signIns.WithLabelValues(r.SignIn.Flow, r.SignIn.Result).Inc()
	}
	if isVend(r.Service, r.Operation) {
		result := "success"
		if r.Status >= 300 {
			result = r.Code
			if result == "" {
				result = "error"
			}
		}
		m.vends.WithLabelValues(r.Operation, result).Inc()
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
		m.decisions[0].Inc()
	case d.Explicit:
		m.decisions[1].Inc()
	default:
		m.decisions[2].Inc()
	}
}

// AuditRecorded counts an audit entry queued for the store.
func (m *Metrics) AuditRecorded(kind string) { m.audit.WithLabelValues(kind).Inc() }

// AuditDropped counts audit entries lost to a full queue.
func (m *Metrics) AuditDropped(n int) { m.dropped.Add(float64(n)) }

// AuditWriteFailed counts a batch the store refused.
func (m *Metrics) AuditWriteFailed() { m.failed.Inc() }

// children remembers the series of a vector by their label values, so that
// the per-request lookup neither allocates (WithLabelValues copies its
// variadic arguments to the heap) nor hashes through the vector's lock.
type children[T any] struct {
	mu     sync.RWMutex
	m      map[[4]string]T
	create func([4]string) T
}

func newChildren[T any](create func([4]string) T) *children[T] {
	return &children[T]{m: map[[4]string]T{}, create: create}
}

func (c *children[T]) get(lv [4]string) T {
	c.mu.RLock()
	v, ok := c.m[lv]
	c.mu.RUnlock()
	if ok {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok = c.m[lv]; !ok {
		v = c.create(lv)
		c.m[lv] = v
	}
	return v
}

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

// registrar creates metrics and registers them in one registry.
type registrar struct{ reg prometheus.Registerer }

func (f registrar) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f registrar) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.reg.MustRegister(c)
	return c
}
