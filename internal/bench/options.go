package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Options says what to run against which endpoint.
type Options struct {
	// Endpoint is the server's base URL, e.g. http://127.0.0.1:4566.
	Endpoint string
	// Region is the region requests are signed for.
	Region string
	// AccessKeyID and SecretAccessKey are the root key that sets up the
	// benchmark's resources. Not needed against the floor.
	AccessKeyID, SecretAccessKey string
	// Scenarios are run one after another, each for Duration.
	Scenarios []string
	// Duration is how long each scenario runs after setup.
	Duration time.Duration
	// Concurrency is the number of workers, each with its own user.
	Concurrency int
	// Size is the object size of the S3 scenarios.
	Size int64
	// Populate, when above zero, first makes sure N users (sign-in
	// scenarios), identities (vend) or objects (S3 scenarios) exist.
	Populate int
	// Floor says the endpoint is a FloorHandler: no resources are set up and
	// canned ids stand in for them.
	Floor bool
	// ServerPID, when set, is sampled for its resident memory.
	ServerPID int
	// Progress receives one line a second while a scenario runs; nil for none.
	Progress io.Writer
}

// Scenario names, in the order `all` runs them.
var scenarioNames = []string{"vend", "signin-password", "signin-srp", "refresh", "s3-put", "s3-get", "s3-list"}

// ScenarioNames lists the scenarios Run knows.
func ScenarioNames() []string { return append([]string(nil), scenarioNames...) }

// Validate reports every problem with o at once.
func (o *Options) Validate() error {
	var problems []string
	if !strings.HasPrefix(o.Endpoint, "http://") && !strings.HasPrefix(o.Endpoint, "https://") {
		problems = append(problems, fmt.Sprintf("--endpoint %q must start with http:// or https://", o.Endpoint))
	}
	if len(o.Scenarios) == 0 {
		problems = append(problems, "--scenario names no scenario; use one of "+strings.Join(scenarioNames, ", ")+" or all")
	}
	for _, s := range o.Scenarios {
		if !known(s) {
			problems = append(problems, fmt.Sprintf("--scenario %q is not one of %s (the gateway scenario arrives with the gateway)", s, strings.Join(scenarioNames, ", ")))
		}
	}
	if o.Duration <= 0 {
		problems = append(problems, "--duration must be positive, e.g. 10s")
	}
	if o.Concurrency < 1 || o.Concurrency > 1024 {
		problems = append(problems, "--concurrency must be between 1 and 1024")
	}
	if o.Size < 0 || o.Size > 5<<30 {
		problems = append(problems, "--size must be between 0 and 5GiB (one PutObject)")
	}
	if o.Populate < 0 {
		problems = append(problems, "--populate must not be negative")
	}
	if !o.Floor && (o.AccessKeyID == "" || o.SecretAccessKey == "") {
		problems = append(problems, "a root key is needed to set up: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (test/test for federa demo)")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

func known(s string) bool {
	for _, n := range scenarioNames {
		if s == n {
			return true
		}
	}
	return false
}

// ParseScenarios splits a comma-separated list; "all" is every scenario.
func ParseScenarios(s string) []string {
	var out []string
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		switch name {
		case "":
		case "all":
			out = append(out, scenarioNames...)
		default:
			out = append(out, name)
		}
	}
	return out
}

// ParseSize reads a byte count: a number with an optional unit B, KiB, MiB,
// GiB (powers of two) or KB, MB, GB (powers of ten).
func ParseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a number of bytes such as 4096, 4KiB or 64MiB", s)
	}
	return n * mult, nil
}
