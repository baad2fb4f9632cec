package policy

import "strings"

// substitute replaces ${…} policy variables in s with context values. The
// result is a token pattern: text from variables is always literal (a '*' in
// an identity id must not become a wildcard), while the policy's own '*' and
// '?' stay wildcards when wild is true. ok is false when a variable's key is
// absent and has no default: such an entry matches nothing.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func substitute(s string, ctx context, enabled, wild bool) (toks []token, ok bool) {
	lit := func(t string) {
		for _, r := range t {
			toks = append(toks, token{r: r})
		}
	}
	pat := func(t string) {
		if !wild {
			lit(t)
			return
		}
		toks = append(toks, compileGlob(t)...)
	}
	if !enabled {
		pat(s)
		return toks, true
	}
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			pat(s)
			return toks, true
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			pat(s)
			return toks, true
		}
		pat(s[:i])
		expr := s[i+2 : i+j]
		s = s[i+j+1:]
		switch expr {
		case "*", "?", "$":
			lit(expr)
			continue
		}
		key, def, hasDef := strings.Cut(expr, ",")
		key = strings.TrimSpace(key)
		if vals, present := ctx.get(key); present && len(vals) == 1 {
			lit(vals[0])
			continue
		}
		if hasDef {
			d := strings.TrimSpace(def)
			if len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' {
				lit(d[1 : len(d)-1])
				continue
			}
		}
		return nil, false
	}
}

// literal turns tokens back into a string (for equality operators).
func literal(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		switch t.wild {
		case 0:
			b.WriteRune(t.r)
		default:
			b.WriteByte(t.wild)
		}
	}
	return b.String()
}
