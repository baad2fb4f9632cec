package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"strings"
	"testing"
	"time"
)

// TestJSONLogs: --log-format json writes one JSON object a line, with the
// level, message and attributes as fields.
func TestOpsJSONLogs(t *testing.T) {
	var b bytes.Buffer
	l, err := newLogger(&b, "json", "debug")
	if err != nil {
		t.Fatal(err)
	}
	l.Info("request", "request_id", "r-1", "status", 403, "code", "AccessDenied")
	l.Debug("decided", "reason", "line\nbreak \"quoted\"")
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), b.String())
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["level"] != "INFO" || rec["msg"] != "request" || rec["status"] != float64(403) || rec["code"] != "AccessDenied" || rec["time"] == nil {
		t.Errorf("record %v", rec)
	}
	if err := json.Unmarshal([]byte(lines[1]), &rec); err != nil || rec["reason"] != "line\nbreak \"quoted\"" {
		t.Errorf("debug record %v, %v", rec, err)
	}

	b.Reset()
	l, _ = newLogger(&b, "text", "warn")
	l.Info("hidden")
	l.Warn("shown", "k", "v")
	if got := b.String(); strings.Contains(got, "hidden") || !strings.Contains(got, "level=WARN msg=shown k=v") {
		t.Errorf("text log %q", got)
	}
	for _, bad := range [][2]string{{"xml", "info"}, {"json", "loud"}} {
		if _, err := newLogger(&b, bad[0], bad[1]); err == nil {
			t.Errorf("newLogger(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

func TestOpsFlags(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var f serveFlags
	f.register(fs)
	if f.auditRetention.String() != "90d" || f.shutdownTimeout != 30*time.Second || f.logFormat != "text" {
		t.Errorf("defaults: retention %s, shutdown %s, log %s", f.auditRetention.String(), f.shutdownTimeout, f.logFormat)
	}
	if err := parseFlags(fs, []string{"--audit-retention", "7d", "--log-format", "json", "--metrics-listen", "127.0.0.1:0", "--metrics-public", "--drain-delay", "5s"}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if time.Duration(f.auditRetention) != 7*24*time.Hour || f.logFormat != "json" || !f.metricsPublic || f.drainDelay != 5*time.Second {
		t.Errorf("parsed %+v", f)
	}
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "0": 0, "36h": 36 * time.Hour, "0d": 0} {
		if got, err := parseDays(in); err != nil || got != want {
			t.Errorf("parseDays(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"d", "-1h", "1y", "1.5d"} {
		if _, err := parseDays(bad); err == nil {
			t.Errorf("parseDays(%q) accepted", bad)
		}
	}
	f.logFormat = "yaml"
	f.region, f.accountID, f.dataDir = "us-east-1", "000000000000", "d"
	if err := f.validate(); err == nil || !strings.Contains(err.Error(), "--log-format") {
		t.Errorf("validate: %v", err)
	}
}

func TestAuditPointInTime(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"1h": now.Add(-time.Hour), "7d": now.Add(-7 * 24 * time.Hour), "2025-12-31T00:00:00Z": time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		if got, err := pointInTime(in, now); err != nil || !got.Equal(want) {
			t.Errorf("pointInTime(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := pointInTime("yesterday", now); err == nil {
		t.Error("yesterday accepted")
	}
}
