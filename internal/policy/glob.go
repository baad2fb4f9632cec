package policy

// token is one element of a compiled pattern: a literal rune, or a wildcard
// ('*' any run, '?' exactly one character).
type token struct {
	r    rune
	wild byte
}

// compileGlob turns a pattern into tokens; every '*' and '?' is a wildcard.
func compileGlob(s string) []token {
	out := make([]token, 0, len(s))
	for _, r := range s {
		switch r {
		case '*', '?':
			out = append(out, token{wild: byte(r)})
		default:
			out = append(out, token{r: r})
		}
	}
	return out
}

// matchTokens reports whether s matches the tokens, with the classic
// linear-time backtracking over the last '*'.
func matchTokens(p []token, s string) bool {
	rs := []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(rs) {
		switch {
		case pi < len(p) && (p[pi].wild == '?' || p[pi].wild == 0 && p[pi].r == rs[si]):
			pi++
			si++
		case pi < len(p) && p[pi].wild == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi].wild == '*' {
		pi++
	}
	return pi == len(p)
}

// matchGlob matches s against a plain pattern string.
func matchGlob(pattern, s string) bool { return matchTokens(compileGlob(pattern), s) }
