package setup

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var (
	// stageNameRE is API Gateway's rule for stage names.
	stageNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	// pathPartRE is a literal path part; {name} and {name+} are variables.
	pathPartRE = regexp.MustCompile(`^[A-Za-z0-9._~:@!$&'()*,;=-]+$`)
	varPartRE  = regexp.MustCompile(`^\{[A-Za-z0-9._-]+\+?\}$`)
)

// routeMethods are the HTTP methods a route may name.
var routeMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}

func (v *validator) restAPIs() {
	f := v.f
	v.names("REST API", "restApis", len(f.RestAPIs), func(i int) string { return f.RestAPIs[i].Name }, "name", false)
	for i := range f.RestAPIs {
		v.restAPI(fmt.Sprintf("restApis[%d]", i), &f.RestAPIs[i])
	}
}

func (v *validator) restAPI(path string, api *RestAPI) {
	if len(api.Name) > 1024 {
		v.bad(path+".name", "a REST API's name is at most 1024 characters")
	}
	if c := api.CORS; c != nil {
		if len(c.AllowOrigins) == 0 {
			v.bad(path+".cors", "CORS needs allowOrigins (an origin like https://app.example.com, or *)")
		}
		v.each(path+".cors.allowMethods", "CORS method", c.AllowMethods, append(slices.Clone(routeMethods[:7]), "*")...)
		if c.MaxAge != nil && *c.MaxAge < 0 {
			v.bad(path+".cors.maxAge", "maxAge is 0 or more seconds")
		}
	}
	authorizers := v.names("authorizer", path+".authorizers", len(api.Authorizers), func(i int) string { return api.Authorizers[i].Name }, "name", false)
	for i, a := range api.Authorizers {
		ap := fmt.Sprintf("%s.authorizers[%d]", path, i)
		if len(a.UserPools) == 0 {
			v.bad(ap, "authorizer %s needs userPools (user pools of this file by name, or ARNs)", a.Name)
		}
		for j, p := range a.UserPools {
			if strings.HasPrefix(p, "arn:") {
				if !strings.Contains(p, ":userpool/") {
					v.bad(fmt.Sprintf("%s.userPools[%d]", ap, j), "%q is not a user pool ARN", p)
				}
			} else if v.f.userPool(p) == nil {
				v.bad(fmt.Sprintf("%s.userPools[%d]", ap, j), "no user pool %q in userPools (name one of this file, or give an ARN)", p)
			}
		}
		if a.IdentitySource != "" && !strings.HasPrefix(a.IdentitySource, "method.request.header.") {
			v.bad(ap+".identitySource", "identitySource is method.request.header.NAME, not %q", a.IdentitySource)
		}
	}
	seen := map[string]int{}
	// vars maps a parent path to its variable child ("{id}"): API Gateway
	// allows one per parent, so /notes/{id} and /notes/{noteId} clash.
	vars := map[string]string{}
	for i, r := range api.Routes {
		rp := fmt.Sprintf("%s.routes[%d]", path, i)
		if r.Method == "" || r.Path == "" {
			v.bad(rp, "a route needs a method and a path")
		}
		v.oneOf(rp+".method", "method", r.Method, routeMethods...)
		if r.Path != "" {
			if err := checkRoutePath(r.Path, vars); err != nil {
				v.bad(rp+".path", "%v", err)
			}
		}
		key := r.Method + " " + r.Path
		if first, dup := seen[key]; dup && r.Method != "" && r.Path != "" {
			v.bad(rp, "duplicate route %s (first at line %d)", key, v.f.at(fmt.Sprintf("%s.routes[%d]", path, first)))
		} else {
			seen[key] = i
		}
		v.oneOf(rp+".auth", "auth", r.Auth, "NONE", "AWS_IAM", "COGNITO_USER_POOLS")
		switch {
		case r.Auth == "COGNITO_USER_POOLS" && r.Authorizer == "":
			v.bad(rp, "a COGNITO_USER_POOLS route needs an authorizer (one of this API's authorizers)")
		case r.Auth != "COGNITO_USER_POOLS" && (r.Authorizer != "" || len(r.Scopes) > 0):
			v.bad(rp, "authorizer and scopes go with auth: COGNITO_USER_POOLS")
		case r.Authorizer != "" && !authorizers[r.Authorizer]:
			v.bad(rp+".authorizer", "API %s has no authorizer %q", api.Name, r.Authorizer)
		}
		v.integration(rp+".integration", r.Integration)
	}
	v.names("stage", path+".stages", len(api.Stages), func(i int) string { return api.Stages[i].Name }, "name", false)
	for i, s := range api.Stages {
		sp := fmt.Sprintf("%s.stages[%d]", path, i)
		if s.Name != "" && !stageNameRE.MatchString(s.Name) {
			v.bad(sp+".name", "stage name %q may hold only letters, digits, _ and - (at most 128)", s.Name)
		}
		if t := s.Throttling; t != nil && (t.Rate < 0 || t.Burst < 0) {
			v.bad(sp+".throttling", "throttling rate and burst are 0 or more")
		}
	}
	if len(api.Stages) > 0 && len(api.Routes) == 0 {
		v.bad(path+".stages", "API %s has stages but no routes: a deployment needs at least one", api.Name)
	}
}

func (v *validator) integration(path string, in RouteIntegration) {
	if in.Type == "" {
		v.bad(path, "an integration needs a type: HTTP_PROXY, AWS_PROXY or MOCK")
		return
	}
	v.oneOf(path+".type", "integration type", in.Type, "HTTP_PROXY", "AWS_PROXY", "MOCK")
	switch {
	case in.Type == "MOCK" && in.URI != "":
		v.bad(path+".uri", "a MOCK integration has no uri")
	case in.Type == "HTTP_PROXY" || in.Type == "AWS_PROXY":
		if u, err := url.Parse(in.URI); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.bad(path+".uri", "a %s integration's uri is an http(s) URL, not %q", in.Type, in.URI)
		}
	}
	v.oneOf(path+".httpMethod", "integration httpMethod", in.HTTPMethod, routeMethods...)
	if t := in.TimeoutMillis; t != nil && (*t < 50 || *t > 29000) {
		v.bad(path+".timeoutMillis", "timeoutMillis is between 50 and 29000, not %d", *t)
	}
}

// checkRoutePath checks a route's path: /, or /part/part where a part is a
// literal, {name} or, last, {name+}.
func checkRoutePath(p string, vars map[string]string) error {
	if p == "/" {
		return nil
	}
	if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") {
		return fmt.Errorf("path %q begins with / and does not end with one", p)
	}
	parts := strings.Split(p[1:], "/")
	parent := ""
	for i, part := range parts {
		switch {
		case varPartRE.MatchString(part):
			if strings.HasSuffix(part, "+}") && i != len(parts)-1 {
				return fmt.Errorf("path %q: a greedy %s is the last part", p, part)
			}
			if other, ok := vars[parent]; ok && other != part {
				return fmt.Errorf("path %q: %s/ has the variable %s elsewhere; API Gateway allows one variable per level", p, or(parent, "/"), other)
			}
			vars[parent] = part
		case !pathPartRE.MatchString(part):
			return fmt.Errorf("path %q: part %q is not a literal, {name} or {name+}", p, part)
		}
		parent += "/" + part
	}
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
