package internal

import (
	"encoding/json"
	"io"
	"os/exec"
	"path"
	"strings"
	"testing"
)

const mod = "github.com/federa/federa/internal/"

// rule says which federa packages a package may import. Patterns are paths
// relative to internal/ and may end in "/*" (any package below) or be "*api"
// style suffix patterns via matchAny.
type rule struct {
	pkgs    []string // packages the rule applies to
	allowed []string // federa packages they may import (relative to internal/)
	banned  []string // standard packages they must not import
	why     string
}

var leaves = []string{"awserr", "reqid", "access", "arn", "sigv4", "store", "blob", "srp", "mail", "oidc", "checksum"}

// testSupport are packages for tests only; they may import what they help test.
var testSupport = []string{"mail/mailtest", "oidc/oidctest"}
var services = []string{"userpool", "identitypool", "sts", "iam", "s3", "jwtkeys", "sealbox", "audit", "gateway"}

// rules is the policy of STYLE.md "Dependency rules", in the style of
// go/build/deps_test.go: each failure message carries the rule's reason.
var rules = []rule{
	{pkgs: leaves, allowed: nil, why: "leaves use only the standard library, so they stay reusable and testable alone"},
	{pkgs: []string{"policy"}, allowed: []string{"arn"}, banned: []string{"net/http", "database/sql", "os"},
		why: "policy is pure evaluation: no HTTP, no storage, no clock — the caller passes the context"},
	{pkgs: []string{"store/sqlstore"}, allowed: []string{"store"}, why: "a backend imports only its interface package"},
	{pkgs: []string{"store/cachestore"}, allowed: []string{"store"}, why: "a store decorator imports only the store contract, like a backend"},
	{pkgs: []string{"store/cryptstore"}, allowed: []string{"store"}, why: "a store decorator imports only the store contract, like a backend"},
	{pkgs: []string{"blob/fsblob"}, allowed: []string{"blob"}, why: "a backend imports only its interface package"},
	{pkgs: []string{"blob/s3blob"}, allowed: []string{"blob", "sigv4"}, why: "a backend imports only its interface package (and sigv4, should it sign by itself)"},
	{pkgs: []string{"store/sqlstore/pgtest"}, allowed: nil, why: "test support stands alone: it hands out PostgreSQL schemas"},
	{pkgs: []string{"store/storetest"}, allowed: []string{"store"}, why: "the conformance suite sees only the contract"},
	{pkgs: testSupport, allowed: nil, why: "test helpers stand alone, like leaves"},
	{pkgs: []string{"blob/blobtest"}, allowed: []string{"blob"}, why: "the conformance suite sees only the contract"},
	{pkgs: services, allowed: append([]string{"policy", "jwtkeys", "sealbox"}, leaves...),
		banned: []string{"net/http"},
		why:    "services hold domain rules: HTTP is translated at the edge, other services are reached through interfaces"},
	{pkgs: []string{"protocol/awsjson", "protocol/awsquery", "protocol/restxml", "protocol/restjson"}, allowed: []string{"awserr", "reqid", "sigv4"},
		why: "a wire format knows errors and signatures, nothing of services"},
	{pkgs: []string{"protocol/wellknown"}, allowed: nil, why: "public documents are plain JSON, like a leaf"},
	{pkgs: []string{"userpool/userpoolapi"}, allowed: []string{"userpool", "protocol/awsjson", "protocol/wellknown", "awserr", "reqid", "sigv4", "access"}, why: wireWhy},
	{pkgs: []string{"identitypool/identitypoolapi"}, allowed: []string{"identitypool", "protocol/awsjson", "protocol/wellknown", "awserr", "reqid", "sigv4", "access"}, why: wireWhy},
	{pkgs: []string{"iam/iamapi"}, allowed: []string{"iam", "policy", "protocol/awsquery", "awserr", "reqid", "sigv4", "access"}, why: wireWhy},
	{pkgs: []string{"sts/stsapi"}, allowed: []string{"sts", "protocol/awsquery", "awserr", "reqid", "sigv4", "access"}, why: wireWhy},
	{pkgs: []string{"s3/s3api"}, allowed: []string{"s3", "policy", "checksum", "protocol/restxml", "awserr", "reqid", "sigv4", "access"}, why: wireWhy},
	{pkgs: []string{"gateway/gatewayapi"}, allowed: []string{"gateway", "protocol/*", "awserr", "reqid", "sigv4", "access"}, why: wireWhy},
	{pkgs: []string{"audit/auditapi"}, allowed: []string{"audit", "protocol/awsjson", "awserr", "reqid", "sigv4", "access"}, why: wireWhy},
	{pkgs: []string{"metrics"}, allowed: []string{"edge", "access", "awserr"}, why: "metrics observes what the edge saw; it reaches into no service and no store"},
	{pkgs: []string{"gateway/invokeapi"}, allowed: []string{"gateway", "access", "awserr", "reqid", "sigv4"}, why: wireWhy},
	{pkgs: []string{"hostedui"}, allowed: []string{"userpool", "awserr", "web"}, why: wireWhy + "; its pages come from web"},
	{pkgs: []string{"edge"}, allowed: []string{"protocol/*", "awserr", "reqid", "sigv4", "access"},
		why: "the edge routes and authenticates; it never reaches into a service or the store"},
	{pkgs: []string{"demo"}, allowed: []string{"setup"}, why: "demo is a client of the AWS APIs, like a user's script; it applies seed 004's setup file"},
	{pkgs: []string{"setup"}, allowed: nil, why: "setup (apply, export) is a client of the AWS APIs, like a user's script: it never touches the store"},
	{pkgs: []string{"bench"}, allowed: []string{"demo", "srp"}, why: "bench is a client of the AWS APIs like demo; srp is the client's side of SRP"},
	{pkgs: []string{"policy/policytest"}, allowed: []string{"policy"}, why: "policy tests see only the engine"},
	{pkgs: []string{"cli"}, allowed: []string{"app", "app/apptest", "bench", "demo", "setup", "config", "policy", "policy/policytest", "web"}, why: "cli turns flags into options and runs the app, the load generator or the policy tools; demo serves the example app from web"},
}

const wireWhy = "a wire adapter imports its service, its protocol and the leaves — never the store"

type listedPackage struct {
	ImportPath string
	Imports    []string
}

func TestDependencyRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-json", "github.com/federa/federa/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	pkgs := map[string][]string{}
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[strings.TrimPrefix(p.ImportPath, mod)] = p.Imports
	}
	covered := 0
	for _, r := range rules {
		for _, name := range r.pkgs {
			imports, ok := pkgs[name]
			if !ok {
				continue // not written yet
			}
			covered++
			for _, imp := range imports {
				if rel, ours := strings.CutPrefix(imp, mod); ours {
					if !matchAny(rel, r.allowed) && !(rel == name) {
						t.Errorf("%s imports %s: %s", name, rel, r.why)
					}
					continue
				}
				if imp == "github.com/federa/federa/web" && matchAny("web", r.allowed) {
					continue // the embedded browser files, a leaf of its own
				}
				if strings.HasPrefix(imp, "github.com/federa/federa/") {
					t.Errorf("%s imports %s outside internal/: %s", name, imp, r.why)
				}
				for _, b := range r.banned {
					if imp == b {
						t.Errorf("%s imports %s: %s", name, imp, r.why)
					}
				}
			}
		}
	}
	if covered < len(leaves) {
		t.Fatalf("only %d packages matched a rule; is the module path right?", covered)
	}
}

func matchAny(pkg string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, pkg); ok || p == pkg {
			return true
		}
	}
	return false
}
