package policy

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

type corpusCase struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Policies    struct {
		Identity []json.RawMessage `json:"identity"`
		Resource []json.RawMessage `json:"resource"`
		Session  []json.RawMessage `json:"session"`
	} `json:"policies"`
	Request struct {
		Principal       string         `json:"principal"`
		Action          string         `json:"action"`
		Resource        string         `json:"resource"`
		ResourceAccount string         `json:"resource_account"`
		Context         map[string]any `json:"context"`
	} `json:"request"`
	Expected string `json:"expected"`
}

func loadCorpus(t testing.TB) []corpusCase {
	f, err := os.Open("testdata/iam/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c corpusCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// input builds the evaluation input of a corpus case, parsing each document
// with the kind it has in IAM.
func (c corpusCase) input(t testing.TB) Input {
	var in Input
	for _, d := range c.Policies.Identity {
		p, err := Parse(string(d), Identity)
		if err != nil {
			t.Fatalf("identity policy rejected: %v\n%s", err, d)
		}
		in.Identity = append(in.Identity, p)
	}
	kind := Resource
	if strings.HasPrefix(c.Request.Action, "sts:AssumeRole") {
		kind = Trust
	}
	if len(c.Policies.Resource) > 0 {
		p, err := Parse(string(c.Policies.Resource[0]), kind)
		if err != nil {
			t.Fatalf("resource policy rejected: %v\n%s", err, c.Policies.Resource[0])
		}
		in.Resource = p
	}
	if len(c.Policies.Session) > 0 {
		p, err := Parse(string(c.Policies.Session[0]), Identity)
		if err != nil {
			t.Fatalf("session policy rejected: %v", err)
		}
		in.Session = p
	}
	ctx := map[string][]string{}
	for k, v := range c.Request.Context {
		switch x := v.(type) {
		case string:
			ctx[k] = []string{x}
		case []any:
			vals := []string{}
			for _, e := range x {
				vals = append(vals, e.(string))
			}
			ctx[k] = vals
		}
	}
	p := Principal{ARN: c.Request.Principal, Account: c.Request.ResourceAccount}
	if strings.HasPrefix(c.Request.Action, "sts:AssumeRoleWithWebIdentity") {
		p = Principal{Federated: c.Request.Principal}
	} else if arn, ok := ctx["aws:PrincipalArn"]; ok && strings.Contains(c.Request.Principal, ":assumed-role/") {
		p.RoleARN = arn[0]
	}
	in.Request = Request{Principal: p, Action: c.Request.Action, Resource: c.Request.Resource, ResourceAccount: c.Request.ResourceAccount, Context: ctx}
	return in
}

// TestCorpus checks every case of the IAM decision corpus: given these
// policies and this request, AWS decides this.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 90 {
		t.Fatalf("corpus has %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			got := Evaluate(c.input(t))
			if got.Decision.String() != c.Expected {
				t.Errorf("%s\ngot %s (%s), want %s", c.Description, got.Decision, got.Reason, c.Expected)
			}
		})
	}
}
