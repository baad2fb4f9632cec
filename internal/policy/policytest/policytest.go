// Package policytest runs policy test cases: JSON Lines files in which each
// line gives policies, a request and the decision AWS makes (the format of
// testdata/iam/SCHEMA.md). Users keep such files next to their policies and
// run them with `federa policy test`; federa's own tests run the shipped
// cases through the same code.
package policytest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/federa/federa/internal/policy"
)

// Case is one test case.
type Case struct {
	ID          string `json:"id"`
	Category    string `json:"category"`
	Description string `json:"description"`
	Policies    struct {
		Identity []json.RawMessage `json:"identity"`
		Resource []json.RawMessage `json:"resource"`
		Session  []json.RawMessage `json:"session"`
		// Boundary is federa's addition to the format: the caller's
		// permissions boundary, at most one.
		Boundary []json.RawMessage `json:"boundary"`
	} `json:"policies"`
	Request struct {
		Principal       string                     `json:"principal"`
		Action          string                     `json:"action"`
		Resource        string                     `json:"resource"`
		ResourceAccount string                     `json:"resource_account"`
		Context         map[string]json.RawMessage `json:"context"`
	} `json:"request"`
	Expected string `json:"expected"`
}

// maxLine bounds one case; policy documents are at most a few KiB each.
const maxLine = 4 << 20

// Load reads every case of a JSON Lines stream. Blank lines are skipped.
func Load(r io.Reader) ([]Case, error) {
	var out []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var c Case
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		if c.ID == "" {
			c.ID = fmt.Sprintf("line-%d", line)
		}
		switch c.Expected {
		case "Allow", "ImplicitDeny", "ExplicitDeny":
		default:
			return nil, fmt.Errorf("line %d (%s): expected must be Allow, ImplicitDeny or ExplicitDeny, not %q", line, c.ID, c.Expected)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %v", line+1, err)
	}
	return out, nil
}

// Input builds the evaluation input of a case, parsing each document with
// the kind it has in IAM: the resource policy of an sts:AssumeRole* request
// is the role's trust policy.
func (c Case) Input() (policy.Input, error) {
	var in policy.Input
	for i, d := range c.Policies.Identity {
		p, err := policy.Parse(string(d), policy.Identity)
		if err != nil {
			return in, fmt.Errorf("identity policy %d: %v", i+1, err)
		}
		in.Identity = append(in.Identity, p)
	}
	kind := policy.Resource
	if strings.HasPrefix(strings.ToLower(c.Request.Action), "sts:assumerole") {
		kind = policy.Trust
	}
	if len(c.Policies.Resource) > 1 || len(c.Policies.Session) > 1 || len(c.Policies.Boundary) > 1 {
		return in, fmt.Errorf("at most one resource policy, one session policy and one permissions boundary")
	}
	if len(c.Policies.Boundary) == 1 {
		p, err := policy.Parse(string(c.Policies.Boundary[0]), policy.Identity)
		if err != nil {
			return in, fmt.Errorf("permissions boundary: %v", err)
		}
		in.Boundary = p
	}
	if len(c.Policies.Resource) == 1 {
		p, err := policy.Parse(string(c.Policies.Resource[0]), kind)
		if err != nil {
			return in, fmt.Errorf("resource policy: %v", err)
		}
		in.Resource = p
	}
	if len(c.Policies.Session) == 1 {
		p, err := policy.Parse(string(c.Policies.Session[0]), policy.Identity)
		if err != nil {
			return in, fmt.Errorf("session policy: %v", err)
		}
		in.Session = p
	}
	ctx := make(map[string][]string, len(c.Request.Context))
	for k, raw := range c.Request.Context {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			ctx[k] = []string{one}
			continue
		}
		var many []string
		if err := json.Unmarshal(raw, &many); err != nil {
			return in, fmt.Errorf("context key %s: a value must be a string or an array of strings", k)
		}
		ctx[k] = many
	}
	in.Request = policy.Request{Principal: principal(c.Request.Principal, c.Request.ResourceAccount, ctx),
		Action: c.Request.Action, Resource: c.Request.Resource,
		ResourceAccount: c.Request.ResourceAccount, Context: ctx}
	return in, nil
}

// principal reads the caller. The role's ARN carries its path, which only
// aws:PrincipalArn knows; without it the role ARN comes from the session ARN.
func principal(name, account string, ctx map[string][]string) policy.Principal {
	p := policy.CallerFromARN(name)
	if p.ARN != "" && p.Account == "" {
		p.Account = account
	}
	if arn, ok := ctx["aws:PrincipalArn"]; ok && len(arn) == 1 && p.RoleARN != "" {
		p.RoleARN = arn[0]
	}
	return p
}

// Result is the outcome of one case.
type Result struct {
	Case   Case
	Got    policy.Result
	Err    error // the case could not be evaluated (a policy did not parse)
	Passed bool
}

// Check evaluates one case.
func Check(c Case) Result {
	in, err := c.Input()
	if err != nil {
		return Result{Case: c, Err: err}
	}
	got := policy.Evaluate(in)
	return Result{Case: c, Got: got, Passed: got.Decision.String() == c.Expected}
}

// Run evaluates every case of r, writes one line per failure to w
// ("FAIL <id>: expected <Decision>, got <Decision> (<reason>)") and the
// summary "N passed, M failed".
func Run(r io.Reader, w io.Writer) (passed, failed int, err error) {
	cases, err := Load(r)
	if err != nil {
		return 0, 0, err
	}
	for _, c := range cases {
		res := Check(c)
		switch {
		case res.Err != nil:
			failed++
			fmt.Fprintf(w, "FAIL %s: expected %s, got an error (%v)\n", c.ID, c.Expected, res.Err)
		case !res.Passed:
			failed++
			fmt.Fprintf(w, "FAIL %s: expected %s, got %s (%s)\n", c.ID, c.Expected, res.Got.Decision, res.Got.Reason())
		default:
			passed++
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	return passed, failed, nil
}
