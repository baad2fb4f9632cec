package policy

import (
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	id := mustParse(t, `{"Version":"2012-10-17","Statement":[
  {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
  {"Sid":"Team","Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"eng"}}},
  {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/secret/*"}]}`, Identity)
	boundary := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}`, Identity)
	ctx := map[string][]string{"aws:PrincipalTag/team": {"ops"}}
	tests := []struct {
		name     string
		in       Input
		decision Decision
		why      []string // Trace.Why of each statement, "" when it applies
		missing  string
		boundary string // "", "true" or "false"
	}{
		{"allowed by Read", Input{Identity: []*Policy{id}, Request: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Context: ctx}},
			Allow, []string{"", "s3:GetObject is not in Action", "arn:aws:s3:::b/k matches no Resource"}, "", ""},
		{"condition failed", Input{Identity: []*Policy{id}, Request: Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k", Context: ctx}},
			ImplicitDeny, []string{"s3:PutObject is not in Action", `condition StringEquals aws:PrincipalTag/team "eng" failed: the request has aws:PrincipalTag/team = "ops"`, "arn:aws:s3:::b/k matches no Resource"}, "", ""},
		{"key missing", Input{Identity: []*Policy{id}, Request: Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k"}},
			ImplicitDeny, []string{"s3:PutObject is not in Action", `condition StringEquals aws:PrincipalTag/team "eng" failed: the request has no aws:PrincipalTag/team`, "arn:aws:s3:::b/k matches no Resource"}, "aws:PrincipalTag/team", ""},
		{"denied", Input{Identity: []*Policy{id}, Request: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/secret/k"}},
			ExplicitDeny, []string{"", "s3:GetObject is not in Action", ""}, "", ""},
		{"boundary", Input{Identity: []*Policy{id}, Boundary: boundary, Request: Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k", Context: map[string][]string{"aws:PrincipalTag/team": {"eng"}}}},
			ImplicitDeny, []string{"s3:PutObject is not in Action", "", "arn:aws:s3:::b/k matches no Resource", "s3:PutObject is not in Action"}, "", "false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := Explain(tt.in)
			if x.Decision != tt.decision || x.Decision != Evaluate(tt.in).Decision {
				t.Fatalf("decision %s, want %s", x.Decision, tt.decision)
			}
			if len(x.Trace) != len(tt.why) {
				t.Fatalf("%d traces, want %d", len(x.Trace), len(tt.why))
			}
			for i, tr := range x.Trace {
				if tr.Why != tt.why[i] || tr.Applies != (tt.why[i] == "") {
					t.Errorf("statement %d: applies %v why %q, want %q", i+1, tr.Applies, tr.Why, tt.why[i])
				}
			}
			if got := strings.Join(x.Missing, ","); got != tt.missing {
				t.Errorf("missing %q, want %q", got, tt.missing)
			}
			got := ""
			if x.AllowedByBoundary != nil {
				got = map[bool]string{true: "true", false: "false"}[*x.AllowedByBoundary]
			}
			if got != tt.boundary {
				t.Errorf("allowed by boundary %q, want %q", got, tt.boundary)
			}
		})
	}
}

func TestStatementPositions(t *testing.T) {
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b\"},\n    {\n      \"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"\n    }\n  ]\n}"
	p := mustParse(t, doc, Identity)
	want := [][2]Position{{{4, 5}, {4, 71}}, {{5, 5}, {7, 5}}}
	for i, st := range p.Statements {
		if st.Start != want[i][0] || st.End != want[i][1] {
			t.Errorf("statement %d at %v–%v, want %v–%v", i+1, st.Start, st.End, want[i][0], want[i][1])
		}
	}
	single := mustParse(t, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, Identity)
	if st := single.Statements[0]; st.Start != (Position{1, 14}) || st.End != (Position{1, 62}) {
		t.Errorf("single statement at %v–%v", st.Start, st.End)
	}
}

func TestLintWarnings(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // substrings, one per warning
	}{
		{"clean", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`, nil},
		{"variable in 2008", `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`,
			[]string{"${…} is literal text"}},
		{"variable without version", `{"Statement":{"Sid":"Own","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`,
			[]string{`statement "Own": the policy's Version is not 2012-10-17`}},
		{"s3 star everywhere", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
			[]string{"statement 1 allows s3:* on every resource"}},
		{"deny star is fine", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`, nil},
		{"plain operator on a set", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}}`,
			[]string{"multivalued key cognito-identity.amazonaws.com:amr never matches"}},
		{"for all values", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":"team"}}}}`,
			[]string{"also matches when aws:TagKeys is absent"}},
		{"not action", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::b/*"}}`,
			[]string{"allows with NotAction"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.doc, Identity)
			if len(p.Warnings) != len(tt.want) {
				t.Fatalf("warnings %q, want %d", p.Warnings, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(p.Warnings[i], w) {
					t.Errorf("warning %q does not say %q", p.Warnings[i], w)
				}
			}
		})
	}
}
