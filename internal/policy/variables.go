package policy

// tokensOf turns expanded pieces into glob tokens, for the ARN operators,
// which match part by part.
func tokensOf(ps []piece) []token {
	var toks []token
	for _, p := range ps {
		for _, r := range p.text {
			if p.wild && (r == '*' || r == '?') {
				toks = append(toks, token{wild: byte(r)})
				continue
			}
			toks = append(toks, token{r: r})
		}
	}
	return toks
}
