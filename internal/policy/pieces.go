package policy

import (
	"strings"
	"unicode/utf8"
)

// piece is a run of pattern text. In a piece with wild set, '*' and '?' are
// wildcards; in one without (text substituted from a variable, or an
// escape), every byte is literal. Patterns are matched as pieces so that
// evaluating a request allocates nothing: variables are resolved into a
// small stack array, never concatenated into a new string.
type piece struct {
	text string
	wild bool
}

// maxPieces is the stack array size for expanded patterns; a pattern with
// more variables than fit spills to the heap, still correctly.
const maxPieces = 8

// expand splits pattern s into pieces, resolving ${…} policy variables from
// ctx when enabled. Text from variables is literal (a '*' in an identity id
// must not become a wildcard); the policy's own '*' and '?' are wildcards
// when wild is true. ok is false when a variable's key is absent and has no
// default: such an entry matches nothing.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func expand(s string, ctx context, enabled, wild bool, buf []piece) (ps []piece, ok bool) {
	ps = buf[:0]
	if !enabled {
		return append(ps, piece{s, wild}), true
	}
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		if i > 0 {
			ps = append(ps, piece{s[:i], wild})
		}
		expr := s[i+2 : i+j]
		s = s[i+j+1:]
		switch expr {
		case "*", "?", "$":
			ps = append(ps, piece{expr, false})
			continue
		}
		// AWS writes a default as "${key, 'default'}": a comma, one space,
		// and the default in single quotes. Anything else is part of the key.
		key, def, hasDef := expr, "", false
		if k, d, found := strings.Cut(expr, ", '"); found && strings.HasSuffix(d, "'") {
			key, def, hasDef = k, d[:len(d)-1], true
		}
		key = strings.TrimSpace(key)
		// An empty value is no value, and a multivalued key cannot be a
		// variable: both fall back to the default or leave the variable null.
		if vals, present := ctx.get(key); present && len(vals) == 1 && vals[0] != "" && !IsMultiValued(key) {
			ps = append(ps, piece{vals[0], false})
			continue
		}
		if hasDef {
			ps = append(ps, piece{def, false})
			continue
		}
		return nil, false
	}
	if s != "" {
		ps = append(ps, piece{s, wild})
	}
	return ps, true
}

// lowerASCII folds an ASCII letter to lower case.
func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// matchPieces reports whether s matches the pattern pieces: '*' matches any
// run of characters, '?' exactly one. The bytes of s before foldUntil compare
// ignoring ASCII case (all of an action name; the partition, service, region
// and account of a resource ARN), the rest exactly. It is the classic
// linear-time backtracking over the last '*'.
func matchPieces(ps []piece, s string, foldUntil int) bool {
	pi, po, si := 0, 0, 0
	starI, starO, mark := -1, 0, 0
	for si < len(s) {
		for pi < len(ps) && po >= len(ps[pi].text) {
			pi, po = pi+1, 0
		}
		if pi < len(ps) {
			c, w := ps[pi].text[po], ps[pi].wild
			switch {
			case w && c == '*':
				starI, starO, mark = pi, po+1, si
				po++
				continue
			case w && c == '?':
				_, n := utf8.DecodeRuneInString(s[si:])
				si += n
				po++
				continue
			case c == s[si] || si < foldUntil && lowerASCII(c) == lowerASCII(s[si]):
				po++
				si++
				continue
			}
		}
		if starI < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[mark:])
		mark += n
		pi, po, si = starI, starO, mark
	}
	for {
		for pi < len(ps) && po >= len(ps[pi].text) {
			pi, po = pi+1, 0
		}
		if pi < len(ps) && ps[pi].wild && ps[pi].text[po] == '*' {
			po++
			continue
		}
		return pi >= len(ps)
	}
}

// equalPieces reports whether s is exactly the concatenation of the pieces.
func equalPieces(ps []piece, s string) bool {
	for _, p := range ps {
		if !strings.HasPrefix(s, p.text) {
			return false
		}
		s = s[len(p.text):]
	}
	return s == ""
}

// joinPieces concatenates the pieces (for the rarer operators that need the
// whole value as a string).
func joinPieces(ps []piece) string {
	if len(ps) == 1 {
		return ps[0].text
	}
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
	}
	return b.String()
}

// caseBlindPrefix is how much of a resource ARN compares ignoring case: up
// to its fifth colon, where the resource part, which is case-sensitive,
// begins. A string that is not an ARN compares exactly.
func caseBlindPrefix(arn string) int {
	n := 0
	for i := 0; i < len(arn); i++ {
		if arn[i] == ':' {
			if n++; n == 5 {
				return i
			}
		}
	}
	return 0
}

// matchAction reports whether the action name matches a lower-cased pattern
// from Action/NotAction. The service prefix is literal (IAM allows no
// wildcard in it); the name after it is a glob, ignoring case.
func matchAction(pattern, action string) bool {
	if pattern == "*" {
		return true
	}
	ps, pn, ok1 := strings.Cut(pattern, ":")
	as, an, ok2 := strings.Cut(action, ":")
	if !ok1 || !ok2 || !strings.EqualFold(ps, as) {
		return false
	}
	return matchPieces([]piece{{pn, true}}, an, len(an))
}
