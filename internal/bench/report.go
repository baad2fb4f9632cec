package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Result is one scenario's figures; Run returns one per scenario and the
// CLI prints them as text or, with --json, as this struct.
type Result struct {
	Scenario    string  `json:"scenario"`
	Endpoint    string  `json:"endpoint"`
	Floor       bool    `json:"floor"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	Size        int64   `json:"size_bytes,omitempty"`
	Populated   int     `json:"populated"`
	Ops         int64   `json:"ops"`
	OpsPerSec   float64 `json:"ops_per_s"`
	MBPerSec    float64 `json:"mb_per_s,omitempty"`
	Percentiles
	Errors       int64            `json:"errors"`
	ErrorsByCode map[string]int64 `json:"errors_by_code,omitempty"`
	Steps        []Step           `json:"steps,omitempty"`
	// ServerPeakRSSMiB is the server's highest resident memory seen while
	// the scenario ran, when Options.ServerPID was given.
	ServerPeakRSSMiB float64 `json:"server_peak_rss_mib,omitempty"`
}

// Step is the latency of one kind of request within an operation.
type Step struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	Percentiles
}

// WriteText prints r as one figure per line.
func (r Result) WriteText(w io.Writer) {
	line := func(k string, v any) { fmt.Fprintf(w, "%-28s %v\n", k, v) }
	kind := "live"
	if r.Floor {
		kind = "floor (no-op handler)"
	}
	line("scenario", r.Scenario)
	line("endpoint", r.Endpoint+" "+kind)
	line("concurrency", r.Concurrency)
	line("duration s", fmt.Sprintf("%.1f", r.Seconds))
	if r.Size > 0 && strings.HasPrefix(r.Scenario, "s3-") {
		line("size bytes", r.Size)
	}
	line("populated", r.Populated)
	line("ops", r.Ops)
	line("ops/s", fmt.Sprintf("%.1f", r.OpsPerSec))
	if r.MBPerSec > 0 {
		line("MB/s", fmt.Sprintf("%.1f", r.MBPerSec))
	}
	line("p50 ms", fmt.Sprintf("%.3f", r.P50))
	line("p99 ms", fmt.Sprintf("%.3f", r.P99))
	line("p99.9 ms", fmt.Sprintf("%.3f", r.P999))
	line("errors", r.Errors)
	codes := make([]string, 0, len(r.ErrorsByCode))
	for c := range r.ErrorsByCode {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		line("errors "+c, r.ErrorsByCode[c])
	}
	if len(r.Steps) > 1 {
		for _, s := range r.Steps {
			line(s.Name+" p50 ms", fmt.Sprintf("%.3f", s.P50))
			line(s.Name+" p99 ms", fmt.Sprintf("%.3f", s.P99))
			line(s.Name+" p99.9 ms", fmt.Sprintf("%.3f", s.P999))
		}
	}
	if r.ServerPeakRSSMiB > 0 {
		line("server peak RSS MiB", fmt.Sprintf("%.1f", r.ServerPeakRSSMiB))
	}
}
