package policy

// token is one element of a compiled pattern: a literal rune, or a wildcard
// ('*' any run, '?' exactly one character).
type token struct {
	r    rune
	wild byte
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
