package setup

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestLoadProblems checks that each kind of mistake is reported at its
// line, and that every problem of a file comes back at once.
func TestLoadProblems(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string // "line: part of the message"
	}{
		{"unknown top-level field", `userpools: []`,
			[]string{`1: unknown field "userpools" in the file (known: buckets, identityPools, oidcProviders, policies, restApis, roles, userPools)`}},
		{"unknown pool field", `
userPools:
  - name: a
    passwordPolicyy: {minimumLength: 8}`,
			[]string{`4: unknown field "passwordPolicyy" in userPools[0]`}},
		{"unknown nested field", `
userPools:
  - name: a
    clients:
      - name: web
        callbackUrls: [https://x.example]`,
			[]string{`6: unknown field "callbackUrls" in userPools[0].clients[0]`}},
		{"unknown field under a pointer", `
roles:
  - name: r
    assumedBy: {identityPool: p, amr: authenticated, extra: 1}
identityPools:
  - name: p`,
			[]string{`4: unknown field "extra" in roles[0].assumedBy`}},
		{"duplicate user pool", `
userPools:
  - name: a
  - name: b
  - name: a`,
			[]string{`5: duplicate user pool "a" (first at line 3)`}},
		{"duplicate role, whatever its case", `
roles:
  - name: Admin
    trustPolicy: {Version: "2012-10-17", Statement: []}
  - name: admin
    trustPolicy: {Version: "2012-10-17", Statement: []}`,
			[]string{`5: duplicate role "admin" (first at line 3)`}},
		{"duplicate client and user", `
userPools:
  - name: a
    clients:
      - name: web
      - name: web
    users:
      - username: Alice
      - username: alice`,
			[]string{`6: duplicate app client "web" (first at line 5)`, `9: duplicate user "alice" (first at line 8)`}},
		{"duplicate key", `
buckets:
  - name: b
    name: c`,
			[]string{`4: mapping key "name" already defined at line 3`}},
		{"reference to a missing client", `
userPools:
  - name: users
    clients:
      - name: web
identityPools:
  - name: ids
    userPoolClients:
      - userPool: users
        client: mobile`,
			[]string{`10: user pool users has no client "mobile"`}},
		{"reference to a missing pool", `
identityPools:
  - name: ids
    userPoolClients:
      - userPool: nobody
        client: web`,
			[]string{`5: no user pool "nobody" in userPools`}},
		{"references to missing roles and policies", `
userPools:
  - name: users
    groups:
      - name: admins
        role: admin-role
identityPools:
  - name: ids
    roles:
      authenticated: arn:aws:iam::123456789012:role/ok
      unauthenticated: guest
roles:
  - name: r
    assumedBy: {identityPool: nope}
    managedPolicies: [missing-policy, arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]`,
			[]string{`6: no role "admin-role" in roles`, `11: no role "guest" in roles`, `14: no identity pool "nope" in identityPools`,
				`15: no managed policy "missing-policy" in policies`}},
		{"reference in a document", `
buckets:
  - name: files
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {AWS: "${role:reader}"}
          Action: s3:GetObject
          Resource: arn:aws:s3:::files/${aws:username}/*`,
			[]string{`8: ${role:reader}: no role "reader" in this file`}},
		{"user in a group the pool lacks", `
userPools:
  - name: users
    users:
      - username: alice
        groups: [admins]
        password: a
        temporaryPassword: b`,
			[]string{`6: user alice: no group "admins" in user pool users`, `8: user alice has a password and a temporaryPassword`}},
		{"unset variable", `
userPools:
  - name: users
    users:
      - username: alice
        password: ${FEDERA_TEST_UNSET_PASSWORD}`,
			[]string{`6: ${FEDERA_TEST_UNSET_PASSWORD} is not set in the environment`}},
		{"wrong type", `
buckets:
  - name: files
    cors:
      - allowedOrigins: ["*"]
        allowedMethods: [GET]
        maxAgeSeconds: a while`,
			[]string{"7: cannot unmarshal !!str `a while` into int"}},
		{"values out of range", `
userPools:
  - name: users
    mfa: SMS
    passwordPolicy: {minimumLength: 4}
    domain: Not_A_Domain
    clients:
      - name: web
        oauthFlows: [code, client_credentials]
        scopes: [openid, api/read]
        tokenValidity: {access: 1 hour}`,
			[]string{`4: mfa "SMS" is not one of OFF, OPTIONAL, ON`, `5: minimumLength is between 6 and 99, not 4`,
				`6: domain "Not_A_Domain" may hold only`, `9: the client_credentials flow needs a client secret`,
				`10: scope "api/read" is neither standard`, `11: token validity "1 hour" is a number with a unit`}},
		{"trust policy twice, or not at all", `
identityPools:
  - name: ids
roles:
  - name: both
    assumedBy: {identityPool: ids}
    trustPolicy: {Version: "2012-10-17", Statement: []}
  - name: neither`,
			[]string{`7: role both has assumedBy and a trustPolicy`, `8: role neither needs assumedBy or a trustPolicy`}},
		{"alias inside its own anchor", `
userPools: &a
  - name: x
    clients: *a`,
			[]string{`4: alias *a is inside its own anchor`}},
		{"alias in a document", `
policies:
  - name: p
    document: &d {Version: x, Statement: [*d]}`,
			[]string{`4: a policy document cannot use YAML aliases`}},
		{"alias checked where it is used", `
buckets:
  - &b
    name: bkt
    color: red
  - *b`,
			[]string{`5: unknown field "color" in buckets[0]`, `6: unknown field "color" in buckets[1]`, `6: duplicate bucket "bkt" (first at line 3)`}},
		{"document that is not JSON", `
policies:
  - name: p
    document: '{"Version": '`,
			[]string{`4: the policy document is not JSON`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load("setup.yaml", []byte(c.yaml), nil)
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("Load = %v, want problems %q", err, c.want)
			}
			got := make([]string, len(probs))
			for i, p := range probs {
				got[i] = fmt.Sprintf("%d: %s", p.Line, p.Msg)
				if p.File != "setup.yaml" {
					t.Errorf("problem %q names file %q", got[i], p.File)
				}
			}
			for _, w := range c.want {
				found := false
				for _, g := range got {
					found = found || strings.HasPrefix(g, w) || (strings.SplitN(g, ": ", 2)[0] == strings.SplitN(w, ": ", 2)[0] && strings.Contains(g, strings.SplitN(w, ": ", 2)[1]))
				}
				if !found {
					t.Errorf("no problem %q in:\n%s", w, strings.Join(got, "\n"))
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("%d problems, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			if !strings.Contains(err.Error(), "setup.yaml:") {
				t.Errorf("error text %q does not name file:line", err)
			}
		})
	}
}

// TestLoadEnv checks variable expansion: values, defaults, numbers, the $${
// escape, and the ${...} that are not variables (IAM's, references).
func TestLoadEnv(t *testing.T) {
	env := map[string]string{"POOL": "shop-users", "AGE": "600", "EMPTY": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	f, err := Load("env.yaml", []byte(`
userPools:
  - name: ${POOL}
    users:
      - username: a
        password: ${PASSWORD:-Default-passw0rd}
        attributes:
          nickname: ${EMPTY:-fallback}
          name: cost $${HOME} and $$ and $
buckets:
  - name: files
    cors:
      - allowedOrigins: ["*"]
        allowedMethods: [GET]
        maxAgeSeconds: ${AGE}
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {AWS: "${role:reader}"}
          Action: s3:GetObject
          Resource: ["arn:aws:s3:::files/${aws:username}/*", "arn:aws:s3:::files/$${role:reader}", "arn:aws:s3:::${POOL}"]
roles:
  - name: reader
    trustPolicy: {Version: "2012-10-17", Statement: []}
`), lookup)
	if err != nil {
		t.Fatal(err)
	}
	p := f.UserPools[0]
	if p.Name != "shop-users" || p.Users[0].Password != "Default-passw0rd" || p.Users[0].Attributes["nickname"] != "fallback" {
		t.Errorf("pool %q, password %q, nickname %q", p.Name, p.Users[0].Password, p.Users[0].Attributes["nickname"])
	}
	if got := p.Users[0].Attributes["name"]; got != "cost ${HOME} and $$ and $" {
		t.Errorf("escaped value = %q", got)
	}
	if age := f.Buckets[0].CORS[0].MaxAgeSeconds; age == nil || *age != 600 {
		t.Errorf("maxAgeSeconds = %v, want 600 from the environment", age)
	}
	doc, err := f.Buckets[0].Policy.JSON(func(kind, name string) string { return "<" + kind + " " + name + ">" })
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"AWS":"<role reader>"`, `"arn:aws:s3:::files/${aws:username}/*"`, `"arn:aws:s3:::files/${role:reader}"`, `"arn:aws:s3:::shop-users"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document %s lacks %s", doc, want)
		}
	}
}

// TestExamplesLoad checks the examples against the format.
func TestExamplesLoad(t *testing.T) {
	for i := 0; i <= 4; i++ {
		path := fmt.Sprintf("../../examples/seed%03d.yaml", i)
		if _, err := os.Stat(path); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadFile(path, nil); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// FuzzEscape checks that what export escapes, Load reads back unchanged.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "${HOME}", "$${HOME}", "${aws:username}", "${role:x}", "$${role:x}", "a$$${B:-c}d", "${", "}${x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		expandEnv := func(inner string) (string, bool) {
			name, _, _ := strings.Cut(inner, ":-")
			return "VAR", envName.MatchString(name)
		}
		// A plain value: variables, then the escapes, in one pass.
		if got := substitute(escape(s, false), true, expandEnv); got != s {
			t.Errorf("value %q: escaped %q, read back %q", s, escape(s, false), got)
		}
		// A document: variables keeping the escapes, then references.
		stage1 := substitute(escape(s, true), false, expandEnv)
		got := substitute(stage1, true, func(inner string) (string, bool) {
			_, ok := parseRef(inner)
			return "REF", ok
		})
		if got != s {
			t.Errorf("document value %q: escaped %q, read back %q", s, escape(s, true), got)
		}
	})
}

// FuzzLoad checks that no file makes Load panic, and that what Load
// accepts, Marshal writes in a form Load accepts again.
func FuzzLoad(f *testing.F) {
	for _, path := range []string{"testdata/full.yaml", "../../examples/seed000.yaml", "../../examples/seed001.yaml",
		"../../examples/seed003.yaml", "../../examples/seed004.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("userPools: [{name: a, schema: [{name: x, minLength: ${N:-3}}]}]\nroles: [{name: r, trustPolicy: '{}'}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Load("fuzz.yaml", data, nil)
		if err != nil {
			return
		}
		out, err := file.Marshal()
		if err != nil {
			t.Fatalf("Marshal of a loaded file: %v", err)
		}
		if _, err := Load("again.yaml", out, nil); err != nil {
			t.Fatalf("a marshalled file does not load: %v\n%s\nfrom\n%s", err, out, data)
		}
	})
}
