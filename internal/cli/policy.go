package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/policy/policytest"
)

// runPolicy runs `federa policy test|simulate`.
func runPolicy(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 {
		fmt.Fprint(stderr, policyUsage)
		return 2, nil
	}
	switch args[0] {
	case "test":
		return runPolicyTest(args[1:], stdout, stderr)
	case "simulate":
		return runPolicySimulate(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "federa policy: unknown command %q\n%s", args[0], policyUsage)
	return 2, nil
}

const policyUsage = `Usage:
  federa policy test FILE.jsonl...   evaluate policy test cases; exit 1 if any fails
  federa policy simulate [flags]     evaluate one request against policy files
`

// runPolicyTest evaluates the cases of each file (- is standard input).
func runPolicyTest(files []string, stdout, stderr io.Writer) (int, error) {
	if len(files) == 0 {
		fmt.Fprint(stderr, "federa policy test: name at least one FILE.jsonl (- for standard input)\n")
		return 2, nil
	}
	failedAny := false
	for _, name := range files {
		r := io.Reader(os.Stdin)
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				return 1, err
			}
			defer f.Close()
			r = f
		}
		if len(files) > 1 {
			fmt.Fprintf(stdout, "%s:\n", name)
		}
		_, failed, err := policytest.Run(r, stdout)
		if err != nil {
			return 1, fmt.Errorf("%s: %w", name, err)
		}
		failedAny = failedAny || failed > 0
	}
	if failedAny {
		return 1, nil
	}
	return 0, nil
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// runPolicySimulate evaluates one request and explains the decision.
func runPolicySimulate(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("federa policy simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var policyFiles, contexts multiFlag
	fs.Var(&policyFiles, "policy-file", "identity policy document (repeatable; their union applies)")
	resourceFile := fs.String("resource-policy-file", "", "resource policy (bucket policy, or trust policy for sts:AssumeRole*)")
	sessionFile := fs.String("session-policy-file", "", "session policy that narrows the identity policies")
	boundaryFile := fs.String("boundary-policy-file", "", "permissions boundary that narrows the identity policies")
	action := fs.String("action", "", "action to evaluate, e.g. s3:GetObject")
	resource := fs.String("resource", "*", "resource ARN")
	principal := fs.String("principal", "", "caller ARN (for resource and trust policies)")
	fs.Var(&contexts, "context", "condition key=value (repeatable; repeat a key for a multivalued key)")
	if err := fs.Parse(args); err != nil {
		return 2, nil
	}
	if *action == "" {
		fmt.Fprintln(stderr, "federa policy simulate: --action is required")
		return 2, nil
	}
	var in policy.Input
	for _, f := range policyFiles {
		p, err := parseFile(f, policy.Identity)
		if err != nil {
			return 1, err
		}
		in.Identity = append(in.Identity, p)
	}
	if *resourceFile != "" {
		kind := policy.Resource
		if strings.HasPrefix(strings.ToLower(*action), "sts:assumerole") {
			kind = policy.Trust
		}
		p, err := parseFile(*resourceFile, kind)
		if err != nil {
			return 1, err
		}
		in.Resource = p
	}
	if *sessionFile != "" {
		p, err := parseFile(*sessionFile, policy.Identity)
		if err != nil {
			return 1, err
		}
		in.Session = p
	}
	if *boundaryFile != "" {
		p, err := parseFile(*boundaryFile, policy.Identity)
		if err != nil {
			return 1, err
		}
		in.Boundary = p
	}
	ctx := map[string][]string{}
	for _, kv := range contexts {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return 2, errors.New("--context takes key=value, not " + kv)
		}
		ctx[k] = append(ctx[k], v)
	}
	in.Request = policy.Request{Principal: policy.CallerFromARN(*principal), Action: *action, Resource: *resource, Context: ctx}
	x := policy.Explain(in)
	fmt.Fprintf(stdout, "%s: %s\n", x.Decision, x.Reason())
	printExplanation(stdout, x, in)
	if x.Decision != policy.Allow {
		return 1, nil
	}
	return 0, nil
}

// printExplanation lists every statement with whether it applied and, if
// not, why; then the keys the request lacked and the lint warnings.
func printExplanation(w io.Writer, x policy.Explanation, in policy.Input) {
	for _, t := range x.Trace {
		name := fmt.Sprintf("statement %d", slices.Index(policyOf(in, t).Statements, t.Statement)+1)
		if t.Statement.Sid != "" {
			name = fmt.Sprintf("statement %q", t.Statement.Sid)
		}
		where := t.Source.String()
		if t.Source == policy.FromIdentity {
			where = fmt.Sprintf("%s %d", where, t.Index+1)
		}
		if t.Applies {
			fmt.Fprintf(w, "  applies  %s, %s (line %d)\n", where, name, t.Statement.Start.Line)
		} else {
			fmt.Fprintf(w, "  skipped  %s, %s (line %d): %s\n", where, name, t.Statement.Start.Line, t.Why)
		}
	}
	if len(x.Missing) > 0 {
		fmt.Fprintf(w, "missing context keys: %s\n", strings.Join(x.Missing, ", "))
	}
	for _, p := range append([]*policy.Policy{in.Session, in.Boundary, in.Resource}, in.Identity...) {
		if p != nil {
			for _, warn := range p.Warnings {
				fmt.Fprintf(w, "warning: %s\n", warn)
			}
		}
	}
}

func policyOf(in policy.Input, t policy.Trace) *policy.Policy {
	switch t.Source {
	case policy.FromSession:
		return in.Session
	case policy.FromBoundary:
		return in.Boundary
	case policy.FromResource:
		return in.Resource
	}
	return in.Identity[t.Index]
}

func parseFile(name string, kind policy.Kind) (*policy.Policy, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	p, err := policy.Parse(string(b), kind)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}
