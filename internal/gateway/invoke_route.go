package gateway

import (
	"strings"
)

// Route matching follows API Gateway's REST API rules: a request path is
// split into segments; a resource path segment is a literal, a {param}
// (one segment) or, as the last segment only, a greedy {name+} (one or more
// segments). When several resources match, the most specific wins, compared
// segment by segment: literal before {param} before {name+}
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html).

// segment kinds, in order of preference.
const (
	segLiteral = iota
	segParam
	segGreedy
)

// Match is a resolved route: the resource, the method serving the request
// and the path parameters taken from the request path.
type Match struct {
	Resource *Resource
	Method   *Method
	// PathParams are the values of {param} and {name+} segments, decoded.
	PathParams map[string]string
}

// MatchRoute finds the method of resources serving method and path (a
// decoded request path below the stage, starting with "/"). found is false
// when no resource matches the path, or it has neither the method nor ANY
// (API Gateway answers both with 403 Missing Authentication Token).
func MatchRoute(resources map[string]*Resource, method, path string) (Match, bool) {
	segs := splitPath(path)
	var (
		best     *Resource
		bestRank []int
		bestArgs map[string]string
	)
	for _, res := range resources {
		rank, args, ok := matchResource(res.Path, segs)
		if !ok {
			continue
		}
		if best == nil || better(rank, bestRank) || (equalRank(rank, bestRank) && res.Path < best.Path) {
			best, bestRank, bestArgs = res, rank, args
		}
	}
	if best == nil {
		return Match{}, false
	}
	m := best.Methods[strings.ToUpper(method)]
	if m == nil {
		m = best.Methods["ANY"]
	}
	if m == nil {
		return Match{}, false
	}
	return Match{Resource: best, Method: m, PathParams: bestArgs}, true
}

// splitPath turns "/a/b/" into ["a", "b"] and "/" into []. A trailing
// slash is ignored, as API Gateway does.
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// matchResource matches a resource path template against request
// segments, returning the kind of each template segment used (its rank)
// and the parameters.
func matchResource(template string, segs []string) ([]int, map[string]string, bool) {
	tmpl := splitPath(template)
	var args map[string]string
	rank := make([]int, 0, len(tmpl))
	for i, t := range tmpl {
		name, kind := segmentKind(t)
		switch kind {
		case segGreedy:
			if i != len(tmpl)-1 || i >= len(segs) {
				return nil, nil, false
			}
			if args == nil {
				args = map[string]string{}
			}
			args[name] = strings.Join(segs[i:], "/")
			return append(rank, segGreedy), args, true
		case segParam:
			if i >= len(segs) || segs[i] == "" {
				return nil, nil, false
			}
			if args == nil {
				args = map[string]string{}
			}
			args[name] = segs[i]
			rank = append(rank, segParam)
		default:
			if i >= len(segs) || segs[i] != t {
				return nil, nil, false
			}
			rank = append(rank, segLiteral)
		}
	}
	if len(tmpl) != len(segs) {
		return nil, nil, false
	}
	return rank, args, true
}

// segmentKind classifies a template segment and returns its parameter name.
func segmentKind(t string) (string, int) {
	if len(t) > 2 && t[0] == '{' && t[len(t)-1] == '}' {
		name := t[1 : len(t)-1]
		if n, ok := strings.CutSuffix(name, "+"); ok && n != "" {
			return n, segGreedy
		}
		return name, segParam
	}
	return t, segLiteral
}

// better reports whether rank a is more specific than b: the first
// differing segment decides; a longer literal prefix wins.
func better(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) > len(b)
}

func equalRank(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// SubstitutePath fills {name} and {name+} in an integration URI from the
// path parameters, as API Gateway maps method.request.path.name onto
// integration.request.path.name for proxy integrations.
func SubstitutePath(uri string, params map[string]string) string {
	if !strings.Contains(uri, "{") {
		return uri
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(uri, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(uri[i:], '}')
		if j < 0 {
			break
		}
		name := strings.TrimSuffix(uri[i+1:i+j], "+")
		b.WriteString(uri[:i])
		if v, ok := params[name]; ok {
			b.WriteString(escapePathKeepSlash(v))
		} else {
			b.WriteString(uri[i : i+j+1])
		}
		uri = uri[i+j+1:]
	}
	b.WriteString(uri)
	return b.String()
}

// escapePathKeepSlash escapes each segment of a decoded path value.
func escapePathKeepSlash(v string) string {
	parts := strings.Split(v, "/")
	for i, p := range parts {
		parts[i] = escapeSegment(p)
	}
	return strings.Join(parts, "/")
}

// escapeSegment percent-encodes what may not appear in a path segment
// (RFC 3986 pchar), without importing net/url's PathEscape quirks.
func escapeSegment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
