package policy

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const perIdentity = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"*"},
 {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::notes","Condition":{"StringLike":{"s3:prefix":["","/","${cognito-identity.amazonaws.com:sub}/*"]}}},
 {"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::notes/${cognito-identity.amazonaws.com:sub}","arn:aws:s3:::notes/${cognito-identity.amazonaws.com:sub}/*"]}]}`

const s3ReadOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}`

const cognitoTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
 "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:pool"},
 "ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}`

const me = "us-east-1:11111111-1111-1111-1111-111111111111"

func mustParse(t testing.TB, doc string, k Kind) *Policy {
	t.Helper()
	p, err := Parse(doc, k)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSeedPolicies(t *testing.T) {
	id := []*Policy{mustParse(t, perIdentity, Identity)}
	ro := []*Policy{mustParse(t, s3ReadOnly, Identity)}
	session := map[string][]string{"cognito-identity.amazonaws.com:sub": {me}}
	withPrefix := func(p string) map[string][]string {
		return map[string][]string{"cognito-identity.amazonaws.com:sub": {me}, "s3:prefix": {p}}
	}
	cases := []struct {
		name     string
		policies []*Policy
		action   string
		resource string
		ctx      map[string][]string
		want     Decision
	}{
		{"put own", id, "s3:PutObject", "arn:aws:s3:::notes/" + me + "/a.txt", session, Allow},
		{"put own folder object", id, "s3:PutObject", "arn:aws:s3:::notes/" + me, session, Allow},
		{"put other", id, "s3:PutObject", "arn:aws:s3:::notes/us-east-1:other/a.txt", session, ImplicitDeny},
		{"put prefix trick", id, "s3:PutObject", "arn:aws:s3:::notes/" + me + "x/a.txt", session, ImplicitDeny},
		{"no sub in session", id, "s3:PutObject", "arn:aws:s3:::notes/" + me + "/a.txt", nil, ImplicitDeny},
		{"list own", id, "s3:ListBucket", "arn:aws:s3:::notes", withPrefix(me + "/"), Allow},
		{"list root", id, "s3:ListBucket", "arn:aws:s3:::notes", withPrefix(""), Allow},
		{"list other", id, "s3:ListBucket", "arn:aws:s3:::notes", withPrefix("us-east-1:other/"), ImplicitDeny},
		{"list without prefix key", id, "s3:ListBucket", "arn:aws:s3:::notes", session, ImplicitDeny},
		{"readonly get", ro, "s3:GetObject", "arn:aws:s3:::any/x", nil, Allow},
		{"readonly put", ro, "s3:PutObject", "arn:aws:s3:::any/x", nil, ImplicitDeny},
		{"action case-insensitive", ro, "S3:getobject", "arn:aws:s3:::any/x", nil, Allow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Evaluate(Input{Identity: c.policies, Request: Request{Action: c.action, Resource: c.resource, Context: c.ctx}})
			if got.Decision != c.want {
				t.Errorf("got %s (%s), want %s", got.Decision, got.Reason(), c.want)
			}
		})
	}
}

func TestTrustPolicy(t *testing.T) {
	trust := mustParse(t, cognitoTrust, Trust)
	eval := func(aud string, amr ...string) Decision {
		return Evaluate(Input{Resource: trust, Request: Request{
			Principal: Principal{Federated: "cognito-identity.amazonaws.com"}, Action: "sts:AssumeRoleWithWebIdentity",
			Resource: "arn:aws:iam::123456789012:role/R",
			Context:  map[string][]string{"cognito-identity.amazonaws.com:aud": {aud}, "cognito-identity.amazonaws.com:amr": amr},
		}}).Decision
	}
	if d := eval("us-east-1:pool", "authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_X"); d != Allow {
		t.Errorf("authenticated user of the pool: %s", d)
	}
	if d := eval("us-east-1:other", "authenticated"); d != ImplicitDeny {
		t.Errorf("other pool: %s", d)
	}
	if d := eval("us-east-1:pool", "unauthenticated"); d != ImplicitDeny {
		t.Errorf("guest: %s", d)
	}
	if d := eval("us-east-1:pool"); d != ImplicitDeny {
		t.Errorf("no amr: %s", d)
	}
	other := Evaluate(Input{Resource: trust, Request: Request{Principal: Principal{Federated: "accounts.google.com"},
		Action: "sts:AssumeRoleWithWebIdentity", Context: map[string][]string{"cognito-identity.amazonaws.com:aud": {"us-east-1:pool"},
			"cognito-identity.amazonaws.com:amr": {"authenticated"}}}})
	if other.Decision != ImplicitDeny {
		t.Errorf("another provider: %s", other.Decision)
	}
}

func TestValidation(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		kind Kind
		want string // substring of the message; "" means valid
	}{
		{"seed", perIdentity, Identity, ""},
		{"trust", cognitoTrust, Trust, ""},
		{"statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::x"}}`, Identity, ""},
		{"not json", `{"Version":`, Identity, "Syntax errors in policy"},
		{"trailing data", `{"Statement":[]} {}`, Identity, "Syntax errors"},
		{"no statement", `{"Version":"2012-10-17"}`, Identity, "Statement"},
		{"bad version", `{"Version":"2020-01-01","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, Identity, "Version"},
		{"bad effect", `{"Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}`, Identity, "Invalid effect"},
		{"no effect", `{"Statement":{"Action":"*","Resource":"*"}}`, Identity, "Effect"},
		{"no action", `{"Statement":{"Effect":"Allow","Resource":"*"}}`, Identity, "must contain actions"},
		{"no resource", `{"Statement":{"Effect":"Allow","Action":"s3:*"}}`, Identity, "must contain resources"},
		{"principal in identity", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, Identity, "should not specify a principal"},
		{"trust without principal", `{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, Trust, "Missing required field Principal"},
		{"trust with resource", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}}`, Trust, "prohibited field Resource"},
		{"action without vendor", `{"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`, Identity, "prefaced by a vendor"},
		{"resource not arn", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}`, Identity, "ARN format"},
		{"unknown operator", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringSorta":{"a":"b"}}}}`, Identity, "Invalid Condition type"},
		{"bad cidr", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/99"}}}}`, Identity, "Invalid value"},
		{"duplicate key", `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}`, Identity, "Duplicate key"},
		{"duplicate sid", `{"Statement":[{"Sid":"a","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"a","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, Identity, "unique"},
		{"unknown field", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Colour":"red"}}`, Identity, "Unknown field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.doc, c.kind)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("valid document rejected: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("error %v, want one mentioning %q", err, c.want)
			}
			if _, isVE := err.(*ValidationError); err != nil && !isVE {
				t.Errorf("error type %T, want *ValidationError", err)
			}
		})
	}
}

func TestVariablesAreLiteral(t *testing.T) {
	// A '*' inside a context value must not act as a wildcard.
	p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/x"}}`, Identity)
	d := Evaluate(Input{Identity: []*Policy{p}, Request: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/x",
		Context: map[string][]string{"aws:username": {"*"}}}})
	if d.Decision != ImplicitDeny {
		t.Errorf("a '*' username matched another user's path: %s", d.Decision)
	}
}

func FuzzParse(f *testing.F) {
	for _, d := range []string{perIdentity, s3ReadOnly, cognitoTrust} {
		f.Add(d)
	}
	if fh, err := os.Open("testdata/iam/cases.jsonl"); err == nil {
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for i := 0; sc.Scan() && i < 30; i++ {
			var c struct {
				Policies struct {
					Identity []json.RawMessage `json:"identity"`
				} `json:"policies"`
			}
			if json.Unmarshal(sc.Bytes(), &c) == nil && len(c.Policies.Identity) > 0 {
				f.Add(string(c.Policies.Identity[0]))
			}
		}
		fh.Close()
	}
	f.Fuzz(func(t *testing.T, doc string) {
		for _, k := range []Kind{Identity, Resource, Trust} {
			p, err := Parse(doc, k)
			if err != nil {
				if _, ok := err.(*ValidationError); !ok {
					t.Fatalf("error of type %T", err)
				}
				continue
			}
			Evaluate(Input{Identity: []*Policy{p}, Resource: p, Request: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
				Principal: Principal{ARN: "arn:aws:sts::1:assumed-role/R/S"}, Context: map[string][]string{"aws:SourceIp": {"10.0.0.1"}}}})
		}
	})
}

func BenchmarkEvaluate(b *testing.B) {
	in := Input{Identity: []*Policy{mustParse(b, perIdentity, Identity), mustParse(b, s3ReadOnly, Identity)},
		Request: Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::notes/" + me + "/photo.jpg",
			Context: map[string][]string{"cognito-identity.amazonaws.com:sub": {me}, "aws:SourceIp": {"127.0.0.1"}}}}
	b.ReportAllocs()
	for b.Loop() {
		if Evaluate(in).Decision != Allow {
			b.Fatal("not allowed")
		}
	}
}

func BenchmarkEvaluateDeny(b *testing.B) {
	in := Input{Identity: []*Policy{mustParse(b, perIdentity, Identity)},
		Request: Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::notes/us-east-1:other/photo.jpg",
			Context: map[string][]string{"cognito-identity.amazonaws.com:sub": {me}}}}
	b.ReportAllocs()
	for b.Loop() {
		if Evaluate(in).Decision != ImplicitDeny {
			b.Fatal("allowed")
		}
	}
}

// FuzzEvaluate drives the evaluator with fuzzed requests against fuzzed
// policies: it must never panic, Explain must reach Evaluate's decision, and
// the decision must not change when only the case of the action changes.
func FuzzEvaluate(f *testing.F) {
	f.Add(perIdentity, "s3:PutObject", "arn:aws:s3:::notes/"+me+"/a", "cognito-identity.amazonaws.com:sub", me)
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"s3:Get*","NotResource":"arn:aws:s3:::b/${aws:username, 'x'}*","Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":"t*"},"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`,
		"s3:PutObject", "arn:aws:s3:::b/xk", "aws:SourceIp", "2001:db8::1")
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:*:*:*:*","Condition":{"DateLessThan":{"aws:CurrentTime":"2025-03"},"NumericLessThan":{"s3:max-keys":"10.5"},"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}}]}`,
		"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/T", "s3:max-keys", "3")
	f.Fuzz(func(t *testing.T, doc, action, resource, key, value string) {
		p, err := Parse(doc, Identity)
		if err != nil {
			return
		}
		req := Request{Action: action, Resource: resource, Principal: Principal{ARN: "arn:aws:sts::1:assumed-role/R/S", RoleARN: "arn:aws:iam::1:role/R"},
			Context: map[string][]string{key: {value}, "aws:TagKeys": {value, key}}}
		in := Input{Identity: []*Policy{p}, Session: p, Boundary: p, Request: req}
		got := Evaluate(in)
		if x := Explain(in); x.Decision != got.Decision {
			t.Fatalf("Explain decided %s, Evaluate %s", x.Decision, got.Decision)
		}
		_ = got.Reason()
		in.Request.Action = strings.ToUpper(action)
		// Action names ignore ASCII case (non-ASCII letters fold in other
		// ways that no AWS action name uses).
		ascii := strings.IndexFunc(action, func(r rune) bool { return r > 0x7f }) < 0
		if again := Evaluate(in); ascii && again.Decision != got.Decision {
			t.Fatalf("action %q decided %s, %q decided %s", action, got.Decision, in.Request.Action, again.Decision)
		}
	})
}
