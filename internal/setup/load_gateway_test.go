package setup

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// gatewayBase is a valid file the cases below add a restApis section to.
const gatewayBase = `
userPools:
  - name: users
restApis:
`

// TestLoadRestAPIProblems checks each mistake a restApis section can hold
// is reported at its line, and that a good section loads.
func TestLoadRestAPIProblems(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string // "line: part of the message"; none: loads
	}{
		{"a good API", `
  - name: notes
    cors: {allowOrigins: [http://localhost:3000], allowHeaders: ["*"], maxAge: 600}
    authorizers:
      - {name: users, userPools: [users, "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x"]}
    routes:
      - {method: POST, path: /notes, auth: AWS_IAM, integration: {type: AWS_PROXY, uri: "http://127.0.0.1:8080"}}
      - {method: GET, path: "/notes/{id}", auth: COGNITO_USER_POOLS, authorizer: users, scopes: [a/b], integration: {type: HTTP_PROXY, uri: "http://h/notes/{id}"}}
      - {method: ANY, path: "/files/{proxy+}", integration: {type: HTTP_PROXY, uri: "https://h/{proxy}", timeoutMillis: 5000}}
      - {method: OPTIONS, path: /, integration: {type: MOCK}}
    stages:
      - {name: prod, throttling: {rate: 10, burst: 20}}`, nil},
		{"unknown route field", `
  - name: notes
    routes:
      - {method: GET, path: /a, auth: NONE, integration: {type: MOCK}, authorisation: x}`,
			[]string{`7: unknown field "authorisation" in restApis[0].routes[0]`}},
		{"duplicate API and stage", `
  - name: notes
    routes: [{method: GET, path: /a, integration: {type: MOCK}}]
    stages: [{name: prod}, {name: prod}]
  - name: notes`,
			[]string{`7: duplicate stage "prod"`, `8: duplicate REST API "notes" (first at line 5)`}},
		{"bad method, path and duplicate route", `
  - name: notes
    routes:
      - {method: FETCH, path: /a, integration: {type: MOCK}}
      - {method: GET, path: notes, integration: {type: MOCK}}
      - {method: GET, path: "/a/{p+}/b", integration: {type: MOCK}}
      - {method: GET, path: /a//b, integration: {type: MOCK}}
      - {method: GET, path: /c, integration: {type: MOCK}}
      - {method: GET, path: /c, integration: {type: MOCK}}`,
			[]string{`7: method "FETCH" is not one of`, `8: path "notes" begins with /`, `9: path "/a/{p+}/b": a greedy {p+} is the last part`,
				`10: path "/a//b": part "" is not a literal`, `12: duplicate route GET /c (first at line 11)`}},
		{"two variables at one level", `
  - name: notes
    routes:
      - {method: GET, path: "/notes/{id}", integration: {type: MOCK}}
      - {method: PUT, path: "/notes/{noteId}", integration: {type: MOCK}}`,
			[]string{`8: path "/notes/{noteId}": /notes/ has the variable {id} elsewhere`}},
		{"auth and authorizers", `
  - name: notes
    authorizers:
      - {name: a, userPools: [nobody]}
      - {name: b}
    routes:
      - {method: GET, path: /a, auth: COGNITO_USER_POOLS, integration: {type: MOCK}}
      - {method: GET, path: /b, auth: COGNITO_USER_POOLS, authorizer: c, integration: {type: MOCK}}
      - {method: GET, path: /c, auth: AWS_IAM, authorizer: a, integration: {type: MOCK}}
      - {method: GET, path: /d, auth: IAM, integration: {type: MOCK}}`,
			[]string{`7: no user pool "nobody"`, `8: authorizer b needs userPools`, `10: a COGNITO_USER_POOLS route needs an authorizer`,
				`11: API notes has no authorizer "c"`, `12: authorizer and scopes go with auth: COGNITO_USER_POOLS`, `13: auth "IAM" is not one of`}},
		{"integrations", `
  - name: notes
    routes:
      - {method: GET, path: /a, integration: {}}
      - {method: GET, path: /b, integration: {type: LAMBDA}}
      - {method: GET, path: /c, integration: {type: HTTP_PROXY, uri: "lambda:fn"}}
      - {method: GET, path: /d, integration: {type: MOCK, uri: "http://h"}}
      - {method: GET, path: /e, integration: {type: AWS_PROXY, uri: "http://h", timeoutMillis: 60000}}`,
			[]string{`7: an integration needs a type`, `8: integration type "LAMBDA" is not one of`, `9: a HTTP_PROXY integration's uri is an http(s) URL`,
				`10: a MOCK integration has no uri`, `11: timeoutMillis is between 50 and 29000`}},
		{"stages and CORS", `
  - name: notes
    cors: {allowHeaders: [x], allowMethods: [FETCH]}
    stages:
      - {name: "prod stage", throttling: {rate: -1, burst: 1}}`,
			[]string{`6: CORS needs allowOrigins`, `6: CORS method "FETCH"`, `8: stage name "prod stage"`, `8: throttling rate and burst are 0 or more`, `7: API notes has stages but no routes`}},
		{"a reference to a missing API", `
  - name: notes
roles:
  - name: r
    trustPolicy: {Version: "2012-10-17", Statement: []}
    policies:
      - name: p
        document:
          Statement:
            - {Effect: Allow, Action: execute-api:Invoke, Resource: "arn:aws:execute-api:*:*:${restApi:other}/*"}`,
			[]string{`13: ${restApi:other}: no REST API "other" in this file`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load("setup.yaml", []byte(gatewayBase+strings.TrimPrefix(c.yaml, "\n")), nil)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("Load = %v, want problems %q", err, c.want)
			}
			got := make([]string, len(probs))
			for i, p := range probs {
				got[i] = fmt.Sprintf("%d: %s", p.Line, p.Msg)
			}
			for _, w := range c.want {
				line, msg, _ := strings.Cut(w, ": ")
				found := false
				for _, g := range got {
					gl, gm, _ := strings.Cut(g, ": ")
					found = found || (gl == line && strings.Contains(gm, msg))
				}
				if !found {
					t.Errorf("no problem %q in:\n%s", w, strings.Join(got, "\n"))
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("%d problems, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
		})
	}
}

// TestRestAPIReference checks ${restApi:NAME} resolves in a document, and
// that export escapes it like the other references.
func TestRestAPIReference(t *testing.T) {
	f, err := Load("setup.yaml", []byte(gatewayBase+`  - name: notes
roles:
  - name: r
    trustPolicy: {Version: "2012-10-17", Statement: []}
    policies:
      - name: p
        document:
          Statement:
            - {Effect: Allow, Action: execute-api:Invoke, Resource: "arn:aws:execute-api:us-east-1:*:${restApi:notes}/*"}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Roles[0].Policies[0].Document.JSON(func(kind, name string) string { return kind + "=" + name })
	if err != nil {
		t.Fatal(err)
	}
	if want := `"arn:aws:execute-api:us-east-1:*:restApi=notes/*"`; !strings.Contains(got, want) {
		t.Errorf("document = %s, want it to hold %s", got, want)
	}
	if got := escape("${restApi:notes}", true); got != "$${restApi:notes}" {
		t.Errorf("escape = %q", got)
	}
}
