package gateway

import (
	"maps"
	"strings"
	"testing"
)

func routeTable() map[string]*Resource {
	res := func(id, path string, methods ...string) *Resource {
		r := &Resource{ID: id, Path: path, Methods: map[string]*Method{}}
		for _, m := range methods {
			r.Methods[m] = &Method{HTTPMethod: m, AuthorizationType: AuthNone}
		}
		return r
	}
	return map[string]*Resource{
		"r":  res("r", "/", "GET"),
		"n":  res("n", "/notes", "GET", "POST"),
		"ni": res("ni", "/notes/{id}", "GET", "DELETE"),
		"nn": res("nn", "/notes/new", "GET"),
		"na": res("na", "/notes/{id}/attachments/{name}", "ANY"),
		"p":  res("p", "/files/{proxy+}", "ANY"),
		"q":  res("q", "/{proxy+}", "GET"),
	}
}

func TestMatchRoute(t *testing.T) {
	rs := routeTable()
	for _, tc := range []struct {
		method, path string
		want         string // resource path, "" for no match
		params       map[string]string
	}{
		{"GET", "/", "/", nil},
		{"GET", "/notes", "/notes", nil},
		{"GET", "/notes/", "/notes", nil},
		{"POST", "/notes", "/notes", nil},
		{"PUT", "/notes", "", nil}, // resource without that method and no ANY
		{"GET", "/notes/42", "/notes/{id}", map[string]string{"id": "42"}},
		{"GET", "/notes/new", "/notes/new", nil}, // literal beats {id}
		{"DELETE", "/notes/new", "", nil},        // the literal resource wins even without the method
		{"PATCH", "/notes/1/attachments/a.png", "/notes/{id}/attachments/{name}", map[string]string{"id": "1", "name": "a.png"}},
		{"GET", "/files/a/b/c.txt", "/files/{proxy+}", map[string]string{"proxy": "a/b/c.txt"}},
		{"POST", "/files/x", "/files/{proxy+}", map[string]string{"proxy": "x"}},
		{"GET", "/files", "", nil}, // {proxy+} needs one segment at least; /{proxy+} has no POST… but GET:
		{"GET", "/other/deep/path", "/{proxy+}", map[string]string{"proxy": "other/deep/path"}},
		{"POST", "/other", "", nil},
	} {
		m, ok := MatchRoute(rs, tc.method, tc.path)
		got := ""
		if ok {
			got = m.Resource.Path
		}
		if tc.path == "/files" && tc.method == "GET" {
			// /files matches /{proxy+} (GET) rather than /files/{proxy+}.
			tc.want, tc.params = "/{proxy+}", map[string]string{"proxy": "files"}
		}
		if got != tc.want {
			t.Errorf("%s %s: matched %q, want %q", tc.method, tc.path, got, tc.want)
			continue
		}
		if ok && !maps.Equal(m.PathParams, tc.params) {
			t.Errorf("%s %s: params %v, want %v", tc.method, tc.path, m.PathParams, tc.params)
		}
	}
}

func TestSubstitutePath(t *testing.T) {
	for _, tc := range []struct {
		uri    string
		params map[string]string
		want   string
	}{
		{"http://up/x", nil, "http://up/x"},
		{"http://up/notes/{id}", map[string]string{"id": "a b"}, "http://up/notes/a%20b"},
		{"http://up/{proxy}", map[string]string{"proxy": "a/b/c"}, "http://up/a/b/c"},
		{"http://up/{proxy+}", map[string]string{"proxy": "a/b"}, "http://up/a/b"},
		{"http://up/{missing}", nil, "http://up/{missing}"},
		{"http://up/{unclosed", map[string]string{"unclosed": "x"}, "http://up/{unclosed"},
	} {
		if got := SubstitutePath(tc.uri, tc.params); got != tc.want {
			t.Errorf("SubstitutePath(%q) = %q, want %q", tc.uri, got, tc.want)
		}
	}
}

func TestInvokeARN(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"POST", "/notes", "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/POST/notes"},
		{"get", "/", "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/"},
		{"GET", "/notes/42/x", "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/notes/42/x"},
	} {
		if got := InvokeARN("us-east-1", "000000000000", "abc123", "prod", tc.method, tc.path); got != tc.want {
			t.Errorf("InvokeARN(%s %s) = %s, want %s", tc.method, tc.path, got, tc.want)
		}
	}
}

// FuzzMatchRoute checks that matching never panics, that a match's
// parameters rebuild the request path from its template, and that
// SubstitutePath never panics on what matching returns.
func FuzzMatchRoute(f *testing.F) {
	for _, s := range []string{"/", "/notes", "/notes/42", "/files/a/b", "//", "/notes/{id}", "/a//b/", "/%2F/x", "/{proxy+}/x"} {
		f.Add("GET", s)
	}
	rs := routeTable()
	f.Fuzz(func(t *testing.T, method, path string) {
		m, ok := MatchRoute(rs, method, path)
		if !ok {
			return
		}
		rebuilt := m.Resource.Path
		for k, v := range m.PathParams {
			rebuilt = strings.Replace(rebuilt, "{"+k+"+}", v, 1)
			rebuilt = strings.Replace(rebuilt, "{"+k+"}", v, 1)
		}
		want := "/" + strings.Join(splitPath(path), "/")
		if rebuilt != want {
			t.Fatalf("%s %q matched %s with %v: rebuilds %q, want %q", method, path, m.Resource.Path, m.PathParams, rebuilt, want)
		}
		_ = SubstitutePath("http://up/{proxy}/{id}/{name}", m.PathParams)
	})
}
