package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The registry writes the Prometheus text exposition format (version
// 0.0.4, https://prometheus.io/docs/instrumenting/exposition_formats/) for
// the few kinds federa uses: labelled counters, labelled histograms and
// gauges read at scrape time. It stands in for client_golang's registry
// because go.mod does not list client_golang's own dependencies (see
// doc.go); its API follows client_golang's so that the switch is local to
// this package.

// maxLabels bounds the labels of a vector: the key of a series is then a
// fixed-size array, hashed without allocating.
const maxLabels = 4

type labelKey [maxLabels]string

// Registry holds metrics and writes them. It is injected wherever metrics
// are recorded; there is no global one.
type Registry struct {
	mu      sync.Mutex
	metrics []collector
	names   map[string]bool
}

type collector interface {
	write(w *bufio.Writer)
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{names: map[string]bool{}} }

func (r *Registry) register(name string, c collector) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic("metrics: " + name + " registered twice")
	}
	r.names[name] = true
	r.metrics = append(r.metrics, c)
}

// WriteText writes every metric in the text exposition format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	ms := slices.Clone(r.metrics)
	r.mu.Unlock()
	bw := bufio.NewWriter(w)
	for _, m := range ms {
		m.write(bw)
	}
	return bw.Flush()
}

// Handler serves the registry to a Prometheus scraper.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if req.Method == http.MethodHead {
			return
		}
		_ = r.WriteText(w)
	})
}

// desc is what every metric has: a name, help text and label names.
type desc struct {
	name, help, kind string
	labels           []string
}

func newDesc(name, help, kind string, labels []string) desc {
	if len(labels) > maxLabels {
		panic(fmt.Sprintf("metrics: %s has %d labels, at most %d", name, len(labels), maxLabels))
	}
	return desc{name: name, help: help, kind: kind, labels: labels}
}

func (d desc) header(w *bufio.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", d.name, escapeHelp(d.help), d.name, d.kind)
}

// line writes name{labels[,extra]} value.
func (d desc) line(w *bufio.Writer, suffix string, k labelKey, extra, value string) {
	w.WriteString(d.name)
	w.WriteString(suffix)
	if len(d.labels) > 0 || extra != "" {
		w.WriteByte('{')
		for i, l := range d.labels {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(l)
			w.WriteString(`="`)
			w.WriteString(escapeLabel(k[i]))
			w.WriteByte('"')
		}
		if extra != "" {
			if len(d.labels) > 0 {
				w.WriteByte(',')
			}
			w.WriteString(extra)
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(value)
	w.WriteByte('\n')
}

func key(d desc, values []string) labelKey {
	if len(values) != len(d.labels) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, got %d", d.name, len(d.labels), len(values)))
	}
	var k labelKey
	copy(k[:], values)
	return k
}

// vec maps label values to series, created on first use.
type vec[T any] struct {
	desc
	mu     sync.RWMutex
	series map[labelKey]*T
	make   func() *T
}

func (v *vec[T]) with(values []string) *T {
	k := key(v.desc, values)
	v.mu.RLock()
	s, ok := v.series[k]
	v.mu.RUnlock()
	if ok {
		return s
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok = v.series[k]; !ok {
		s = v.make()
		v.series[k] = s
	}
	return s
}

// sorted returns the series in label order, for a stable exposition.
func (v *vec[T]) sorted() ([]labelKey, []*T) {
	v.mu.RLock()
	keys := make([]labelKey, 0, len(v.series))
	for k := range v.series {
		keys = append(keys, k)
	}
	v.mu.RUnlock()
	slices.SortFunc(keys, func(a, b labelKey) int { return slices.Compare(a[:], b[:]) })
	out := make([]*T, len(keys))
	v.mu.RLock()
	for i, k := range keys {
		out[i] = v.series[k]
	}
	v.mu.RUnlock()
	return keys, out
}

// Counter is a monotonically increasing count.
type Counter struct{ n atomic.Uint64 }

// Inc adds one.
func (c *Counter) Inc() { c.n.Add(1) }

// Add adds n.
func (c *Counter) Add(n uint64) { c.n.Add(n) }

// Value returns the count.
func (c *Counter) Value() uint64 { return c.n.Load() }

// CounterVec is a family of counters told apart by label values.
type CounterVec struct{ v vec[Counter] }

// NewCounterVec registers a counter family.
func (r *Registry) NewCounterVec(name, help string, labels ...string) *CounterVec {
	c := &CounterVec{v: vec[Counter]{desc: newDesc(name, help, "counter", labels), series: map[labelKey]*Counter{}, make: func() *Counter { return new(Counter) }}}
	r.register(name, c)
	return c
}

// With returns the counter of these label values, in the order the labels
// were declared.
func (c *CounterVec) With(values ...string) *Counter { return c.v.with(values) }

func (c *CounterVec) write(w *bufio.Writer) {
	c.v.header(w)
	keys, series := c.v.sorted()
	for i, k := range keys {
		c.v.line(w, "", k, "", strconv.FormatUint(series[i].Value(), 10))
	}
}

// Histogram counts observations into buckets.
type Histogram struct {
	bounds []float64
	counts []atomic.Uint64 // per bucket, not cumulative; the last is +Inf
	sum    atomic.Uint64   // float64 bits
	count  atomic.Uint64
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	i, _ := slices.BinarySearch(h.bounds, v)
	h.counts[i].Add(1)
	h.count.Add(1)
	for {
		old := h.sum.Load()
		if h.sum.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// Count returns how many values were observed.
func (h *Histogram) Count() uint64 { return h.count.Load() }

// HistogramVec is a family of histograms told apart by label values.
type HistogramVec struct{ v vec[Histogram] }

// NewHistogramVec registers a histogram family with the given upper
// bounds, in increasing order (+Inf is implied).
func (r *Registry) NewHistogramVec(name, help string, bounds []float64, labels ...string) *HistogramVec {
	if !slices.IsSorted(bounds) {
		panic("metrics: " + name + " buckets are not sorted")
	}
	h := &HistogramVec{v: vec[Histogram]{desc: newDesc(name, help, "histogram", labels), series: map[labelKey]*Histogram{},
		make: func() *Histogram { return &Histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)} }}}
	r.register(name, h)
	return h
}

// With returns the histogram of these label values.
func (h *HistogramVec) With(values ...string) *Histogram { return h.v.with(values) }

func (h *HistogramVec) write(w *bufio.Writer) {
	h.v.header(w)
	keys, series := h.v.sorted()
	for i, k := range keys {
		s := series[i]
		// Read the count first: observations racing the scrape may then
		// show in buckets but not yet in the count, never the reverse.
		count := s.count.Load()
		var cum uint64
		for j, b := range s.bounds {
			cum += s.counts[j].Load()
			h.v.line(w, "_bucket", k, `le="`+formatFloat(b)+`"`, strconv.FormatUint(cum, 10))
		}
		cum += s.counts[len(s.bounds)].Load()
		h.v.line(w, "_bucket", k, `le="+Inf"`, strconv.FormatUint(max(cum, count), 10))
		h.v.line(w, "_sum", k, "", formatFloat(math.Float64frombits(s.sum.Load())))
		h.v.line(w, "_count", k, "", strconv.FormatUint(max(cum, count), 10))
	}
}

// gaugeFunc is a value read at scrape time.
type gaugeFunc struct {
	desc
	fn func() float64
}

// NewGaugeFunc registers a gauge whose value fn returns at each scrape.
func (r *Registry) NewGaugeFunc(name, help string, fn func() float64) {
	r.register(name, &gaugeFunc{desc: newDesc(name, help, "gauge", nil), fn: fn})
}

// NewCounterFunc registers a counter whose value fn returns at each scrape.
func (r *Registry) NewCounterFunc(name, help string, fn func() float64) {
	r.register(name, &gaugeFunc{desc: newDesc(name, help, "counter", nil), fn: fn})
}

func (g *gaugeFunc) write(w *bufio.Writer) {
	g.header(w)
	g.line(w, "", labelKey{}, "", formatFloat(g.fn()))
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
