package bench

import (
	"os"
	"regexp"
	"testing"
)

// TestBenchmarksDocumentCoversEveryScenario: BENCHMARKS.md reports every
// scenario Run knows and its floor, each with an ops/s figure, so a new
// scenario cannot land unmeasured.
func TestBenchmarksDocumentCoversEveryScenario(t *testing.T) {
	doc, err := os.ReadFile("../../BENCHMARKS.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ScenarioNames() {
		for _, row := range []string{name, name + "-floor"} {
			re := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(row) + ` \| [0-9]+ \|`)
			if !re.Match(doc) {
				t.Errorf("BENCHMARKS.md has no measured row %q (scripts/benchmarks/run prints one)", row)
			}
		}
	}
}
