package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/bench"
)

// `federa bench` as a user runs it: the built binary against `federa demo`
// (root key test/test), against its own floor, and with bad input. Every
// run lasts about a second, so the figures are only checked for shape.

// progressLine matches a progress line ("vend: 1s/1s 812 ops (812/s) 0 errors").
var progressLine = regexp.MustCompile(`(?m)^[a-z0-9-]+: \d+s/\d+s \d+ ops`)

// benchRun is one finished `federa bench`.
type benchRun struct {
	stdout, stderr string
	code           int
}

// benchEnv is the inherited environment with the root key replaced by
// key/secret (or removed when key is empty). FEDERA_* variables are dropped
// too: every flag is also one, and a developer's FEDERA_SCENARIO must not
// change what a test runs.
func benchEnv(key, secret string) []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "AWS_ACCESS_KEY_ID=") || strings.HasPrefix(kv, "AWS_SECRET_ACCESS_KEY=") ||
			strings.HasPrefix(kv, "FEDERA_")
	})
	if key != "" {
		env = append(env, "AWS_ACCESS_KEY_ID="+key, "AWS_SECRET_ACCESS_KEY="+secret)
	}
	return env
}

// runFederaBench runs `federa bench args...` with env and returns what it
// printed and its exit status. It never hangs a test: the run is killed
// after two minutes.
func runFederaBench(t *testing.T, bin string, env []string, args ...string) benchRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"bench"}, args...)...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := benchRun{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("federa bench %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("federa bench %s did not finish in two minutes:\n%s", strings.Join(args, " "), r.stderr)
	}
	// A panic or a crash prints goroutine dumps; bad input or a failing
	// server must get a message instead.
	if strings.Contains(r.stderr, "goroutine ") {
		t.Errorf("federa bench %s printed a stack trace:\n%s", strings.Join(args, " "), r.stderr)
	}
	return r
}

// mustBench is runFederaBench for a run that must succeed.
func mustBench(t *testing.T, bin string, env []string, args ...string) benchRun {
	t.Helper()
	r := runFederaBench(t, bin, env, args...)
	if r.code != 0 {
		t.Fatalf("federa bench %s: exit status %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// decodeResults reads --json output: exactly one bench.Result per line.
func decodeResults(t *testing.T, stdout string) []bench.Result {
	t.Helper()
	var out []bench.Result
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var r bench.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("--json line %q: %v\nstdout:\n%s", line, err, stdout)
		}
		out = append(out, r)
	}
	return out
}

func scenarios(rs []bench.Result) []string {
	var names []string
	for _, r := range rs {
		names = append(names, r.Scenario)
	}
	return names
}

// checkResult asserts what every successful run reports: operations, no
// errors, and percentiles in order.
func checkResult(t *testing.T, r bench.Result) {
	t.Helper()
	if r.Ops <= 0 || r.OpsPerSec <= 0 {
		t.Errorf("%s: ops %d, ops/s %g; want both above 0", r.Scenario, r.Ops, r.OpsPerSec)
	}
	if r.Errors != 0 {
		t.Errorf("%s: %d errors %v; want none", r.Scenario, r.Errors, r.ErrorsByCode)
	}
	if !(r.P50 > 0 && r.P50 <= r.P99 && r.P99 <= r.P999) {
		t.Errorf("%s: p50 %g, p99 %g, p99.9 %g ms; want 0 < p50 <= p99 <= p99.9", r.Scenario, r.P50, r.P99, r.P999)
	}
}

// hasSteps asserts that r timed each of the named requests.
func hasSteps(t *testing.T, r bench.Result, names ...string) {
	t.Helper()
	for _, n := range names {
		if !slices.ContainsFunc(r.Steps, func(s bench.Step) bool { return s.Name == n && s.Count > 0 }) {
			t.Errorf("%s: steps %+v lack %s", r.Scenario, r.Steps, n)
		}
	}
}

// TestBenchDemo runs every scenario against one `federa demo`, then the
// read scenario's --populate twice, the text output, and a wrong root key.
func TestBenchDemo(t *testing.T) {
	bin := buildFedera(t)
	srv := startBinary(t, bin, "demo")
	// Demo sets up its seed example after it listens; bench starts once it
	// has, so the two do not share the first second.
	waitForLine(t, srv, "sts get-caller-identity", 60*time.Second)
	root := benchEnv("test", "test")

	t.Run("all-json", func(t *testing.T) {
		r := mustBench(t, bin, root, "--endpoint", srv.url, "--scenario", "all", "--duration", "1s", "--concurrency", "2", "--json", "--quiet")
		if progressLine.MatchString(r.stderr) {
			t.Errorf("--quiet printed progress:\n%s", r.stderr)
		}
		results := decodeResults(t, r.stdout)
		want := []string{"vend", "signin-password", "signin-srp", "refresh", "s3-put", "s3-get", "s3-list"}
		if got := scenarios(results); !slices.Equal(got, want) {
			t.Fatalf("scenarios %v, want %v\n--- server log ---\n%s", got, want, srv.log())
		}
		for _, res := range results {
			checkResult(t, res)
			if res.Floor || res.Concurrency != 2 || res.Endpoint != srv.url {
				t.Errorf("%s: floor %v, concurrency %d, endpoint %q; want live, 2, %s", res.Scenario, res.Floor, res.Concurrency, res.Endpoint, srv.url)
			}
			switch res.Scenario {
			case "s3-put", "s3-get":
				if res.MBPerSec <= 0 {
					t.Errorf("%s: mb_per_s %g, want above 0", res.Scenario, res.MBPerSec)
				}
			case "vend":
				hasSteps(t, res, "GetId", "GetCredentialsForIdentity")
			case "signin-srp":
				hasSteps(t, res, "InitiateAuth", "RespondToAuthChallenge")
			}
		}
	})

	// The second run finds the first's marker and reads the same objects
	// without writing them again.
	t.Run("populate-twice", func(t *testing.T) {
		for i := range 2 {
			r := mustBench(t, bin, root, "--endpoint", srv.url, "--scenario", "s3-get", "--populate", "50", "--size", "1KiB",
				"--duration", "1s", "--concurrency", "2", "--json", "--quiet")
			results := decodeResults(t, r.stdout)
			if len(results) != 1 {
				t.Fatalf("run %d: %d results, want 1", i+1, len(results))
			}
			res := results[0]
			checkResult(t, res)
			if res.Populated != 50 || res.Size != 1024 {
				t.Errorf("run %d: populated %d, size %d; want 50, 1024", i+1, res.Populated, res.Size)
			}
		}
	})

	t.Run("text", func(t *testing.T) {
		// 2s, not 1s: the first progress line is due after a second, the
		// moment a 1s run ends, so a 1s run may print none.
		r := mustBench(t, bin, root, "--endpoint", srv.url, "--scenario", "vend", "--duration", "2s", "--concurrency", "1")
		for _, key := range []string{"ops/s", "p99 ms", "errors"} {
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + ` +\S`).MatchString(r.stdout) {
				t.Errorf("stdout has no %q line:\n%s", key, r.stdout)
			}
		}
		if !regexp.MustCompile(`(?m)^errors +0$`).MatchString(r.stdout) {
			t.Errorf("stdout does not report 0 errors:\n%s", r.stdout)
		}
		if !strings.Contains(r.stderr, "vend:") {
			t.Errorf("no progress on stderr:\n%s", r.stderr)
		}
		if strings.Contains(r.stdout, "vend:") {
			t.Errorf("progress on stdout:\n%s", r.stdout)
		}
	})

	// A key the server refuses stops the run at setup with a message, not
	// with a report of nothing but errors.
	t.Run("wrong-root-key", func(t *testing.T) {
		r := runFederaBench(t, bin, benchEnv("test", "wrong"), "--endpoint", srv.url, "--scenario", "s3-get", "--duration", "1s")
		if r.code != 1 || !strings.Contains(r.stderr, "root key does not work") {
			t.Errorf("exit status %d, stderr %q; want 1 and \"root key does not work\"", r.code, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("stdout %q, want nothing", r.stdout)
		}
	})
}

// TestBenchFloor runs scenarios against the no-op handler in a child
// process; no server and no root key are needed.
func TestBenchFloor(t *testing.T) {
	bin := buildFedera(t)
	r := mustBench(t, bin, benchEnv("", ""), "--floor", "--scenario", "vend,s3-get,signin-srp", "--duration", "1s", "--concurrency", "2", "--json", "--quiet")
	results := decodeResults(t, r.stdout)
	if got, want := scenarios(results), []string{"vend", "s3-get", "signin-srp"}; !slices.Equal(got, want) {
		t.Fatalf("scenarios %v, want %v", got, want)
	}
	for _, res := range results {
		checkResult(t, res)
		if !res.Floor {
			t.Errorf("%s: floor false, want true", res.Scenario)
		}
	}
}

// TestBenchBadInput: each mistake exits 1 with a message, before any
// request is made.
func TestBenchBadInput(t *testing.T) {
	bin := buildFedera(t)
	// Nothing listens here, so a run that got past validation would fail
	// differently.
	endpoint := "http://" + freeAddr(t)
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		want []string // in stderr
	}{
		{"unknown scenario", benchEnv("test", "test"), []string{"--scenario", "nope"},
			append([]string{`"nope"`}, bench.ScenarioNames()...)},
		{"bad size", benchEnv("test", "test"), []string{"--size", "12XB"}, []string{`"12XB"`}},
		{"zero concurrency", benchEnv("test", "test"), []string{"--concurrency", "0"}, []string{"--concurrency"}},
		{"no root key", benchEnv("", ""), nil, []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}},
		// Checked before the floor's child starts: it would try to hold
		// an object of that size in memory.
		{"floor size above 5GiB", benchEnv("", ""), []string{"--floor", "--size", "1000GiB"}, []string{"--size"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runFederaBench(t, bin, tc.env, append([]string{"--endpoint", endpoint, "--duration", "1s", "--quiet"}, tc.args...)...)
			if r.code != 1 {
				t.Errorf("exit status %d, want 1\nstderr:\n%s", r.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not mention %s:\n%s", w, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}
