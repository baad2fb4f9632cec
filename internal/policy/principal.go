package policy

import (
	"regexp"
	"strings"
)

// principals is a compiled Principal or NotPrincipal element.
type principals struct {
	anyone    bool     // "*" or {"AWS": "*"}
	aws       []string // ARNs; bare account ids become arn:aws:iam::ACCOUNT:root
	federated []string
	service   []string
	canonical []string
}

var accountID = regexp.MustCompile(`^\d{12}$`)

func parsePrincipals(v any) (*principals, error) {
	p := &principals{}
	if s, ok := v.(string); ok {
		if s != "*" {
			return nil, invalid("Invalid principal in policy: %q; use \"*\" or an object such as {\"AWS\": \"arn:…\"}.", s)
		}
		p.anyone = true
		return p, nil
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil, invalid("Syntax errors in policy. Principal must be \"*\" or a non-empty object.")
	}
	for _, k := range sortedKeys(m) {
		list, err := stringList(m[k], "Principal")
		if err != nil {
			return nil, err
		}
		switch k {
		case "AWS":
			for _, s := range list {
				switch {
				case s == "*":
					p.anyone = true
				case accountID.MatchString(s):
					p.aws = append(p.aws, "arn:aws:iam::"+s+":root")
				case strings.HasPrefix(s, "arn:"):
					p.aws = append(p.aws, s)
				default:
					return nil, invalid("Invalid principal in policy: \"AWS\":\"%s\"", s)
				}
			}
		case "Federated":
			p.federated = append(p.federated, list...)
		case "Service":
			p.service = append(p.service, list...)
		case "CanonicalUser":
			p.canonical = append(p.canonical, list...)
		default:
			return nil, invalid("Invalid principal in policy: unknown principal type %q.", k)
		}
	}
	return p, nil
}

// principalMatch is how a statement's principal relates to the caller.
type principalMatch int

const (
	noMatch principalMatch = iota
	// accountMatch: the statement names only the caller's account, which
	// delegates to the account's identity policies.
	accountMatch
	// anyoneMatch: "*", {"AWS": "*"}, or a NotPrincipal that does not list
	// the caller.
	anyoneMatch
	// roleMatch: the role of the caller's session.
	roleMatch
	// sessionMatch: the caller's own ARN (its session, or the IAM user).
	sessionMatch
)

func (p *principals) match(r Principal) principalMatch {
	if p.anyone {
		return anyoneMatch
	}
	if r.Federated != "" {
		for _, f := range p.federated {
			if f == r.Federated {
				return anyoneMatch
			}
		}
		return noMatch
	}
	if r.Anonymous {
		return noMatch
	}
	best := noMatch
	for _, a := range p.aws {
		switch {
		case a == r.ARN:
			return sessionMatch
		case r.RoleARN != "" && a == r.RoleARN:
			best = roleMatch
		case r.Account != "" && a == "arn:aws:iam::"+r.Account+":root" && best == noMatch:
			best = accountMatch
		}
	}
	return best
}

// CallerFromARN reads a caller's ARN: an IAM user, a role, an account root
// or an assumed-role session, whose role ARN (without a path, which the
// session ARN does not carry) and account it derives. A name that is not an
// ARN is a web identity provider as Principal.Federated names it.
func CallerFromARN(name string) Principal {
	if !strings.HasPrefix(name, "arn:") {
		return Principal{Federated: name}
	}
	p := Principal{ARN: name}
	parts := strings.SplitN(name, ":", 6)
	if len(parts) != 6 {
		return p
	}
	p.Account = parts[4]
	if rest, ok := strings.CutPrefix(parts[5], "assumed-role/"); ok {
		role, _, _ := strings.Cut(rest, "/")
		p.RoleARN = "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + role
	}
	return p
}
