package policy

import (
	"regexp"
	"strings"
)

// This file decides whether a resource policy is "public" as S3 Block Public
// Access defines it (S3 user guide, "Blocking public access to your Amazon S3
// storage", section "The meaning of public"): S3 begins by assuming a policy
// is public and calls it non-public only when every grant is limited to fixed
// values (no wildcard, no policy variable) of a principal or of one of a few
// condition keys. BlockPublicPolicy refuses such a policy and
// RestrictPublicBuckets disarms it for callers outside the owner's account.

// fixingKeys are the condition keys (lower-cased) whose fixed values make a
// grant to "*" non-public. The page lists aws:SourceIp, aws:SourceArn,
// aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount,
// aws:userid, s3:DataAccessPointArn and s3:DataAccessPointAccount, and
// introduces principal keys with "e.g. aws:PrincipalOrgID": the other keys
// that name the calling principal or its account are taken in as well.
var fixingKeys = map[string]bool{
	"aws:sourceip":              true,
	"aws:sourcearn":             true,
	"aws:sourcevpc":             true,
	"aws:sourcevpce":            true,
	"aws:sourceowner":           true,
	"aws:sourceaccount":         true,
	"aws:sourceorgid":           true,
	"aws:userid":                true,
	"aws:principalorgid":        true,
	"aws:principalarn":          true,
	"aws:principalaccount":      true,
	"s3:dataaccesspointarn":     true,
	"s3:dataaccesspointaccount": true,
}

// IsPublic reports whether p grants public access in S3's sense.
func (p *Policy) IsPublic() bool { return p.PublicStatement() != nil }

// PublicStatement returns the first statement that makes p public, or nil
// when p is not public. Deny statements grant nothing, so they never do.
func (p *Policy) PublicStatement() *Statement {
	for _, st := range p.Statements {
		if st.public() {
			return st
		}
	}
	return nil
}

// public reports whether st allows someone who is not a fixed principal,
// with no condition that pins the request to fixed values.
func (st *Statement) public() bool {
	if !st.Allow || !st.openPrincipal() {
		return false
	}
	for _, c := range st.Conditions {
		if c.fixes() {
			return false
		}
	}
	return true
}

// openPrincipal reports whether st's principal is anyone, everyone but a
// few (NotPrincipal), or a pattern rather than a fixed name.
func (st *Statement) openPrincipal() bool {
	p := st.Principal
	if p == nil || st.NotPrincipal || p.anyone {
		return true
	}
	for _, list := range [][]string{p.aws, p.federated, p.service, p.canonical} {
		for _, v := range list {
			if !fixed(v) {
				return true
			}
		}
	}
	return false
}

// fixed reports whether a policy value is one literal value: no wildcard
// (even under StringEquals, where '*' is literal, S3 counts it as one) and
// no policy variable.
func fixed(v string) bool {
	return !strings.ContainsAny(v, "*?") && !strings.Contains(v, "${")
}

// fixes reports whether c limits a statement to fixed values of a fixing key:
// a positive operator (a negated one, an IfExists one or Null lets through
// requests without the key, and anonymous requests carry none of these
// keys), not ForAllValues (true when the key is absent), and every value
// fixed.
func (c condition) fixes() bool {
	if !fixingKeys[c.key] || c.ifExists || c.set == "ForAllValues" || c.op == "Null" || operators[c.op] {
		return false
	}
	if c.key == "aws:sourceip" {
		if c.op != "IpAddress" {
			return false
		}
		for _, v := range c.values {
			if !narrowCIDR(v) {
				return false
			}
		}
		return true
	}
	if !strings.HasPrefix(c.op, "String") && !strings.HasPrefix(c.op, "Arn") {
		return false
	}
	for _, v := range c.values {
		switch {
		case fixed(v):
		case c.key == "aws:userid" && roleSessions.MatchString(v):
			// "AROLEID:*" is every session of one role: fixed enough.
		case c.key == "s3:dataaccesspointarn" && accessPointsOfAccount(v):
		default:
			return false
		}
	}
	return true
}

// roleSessions is aws:userid's "every session of role AROLEID" pattern, which
// the page exempts from the no-wildcard rule.
var roleSessions = regexp.MustCompile(`^[A-Z0-9]+:\*$`)

// accessPointsOfAccount reports whether v is an access point ARN pattern whose
// only wildcards are in the access point name, under a fixed account: the
// page lets a bucket policy grant to all of one account's access points.
func accessPointsOfAccount(v string) bool {
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 || strings.Contains(v, "${") {
		return false
	}
	for _, p := range parts[:5] {
		if !fixed(p) {
			return false
		}
	}
	return accountID.MatchString(parts[4]) && strings.HasPrefix(parts[5], "accesspoint/")
}

// narrowCIDR reports whether an aws:SourceIp value is narrow enough not to
// be public: S3 calls ranges broader than /8 (IPv4) or /32 (IPv6) public.
func narrowCIDR(v string) bool {
	if strings.Contains(v, "${") {
		return false
	}
	p, ok := parseCIDR(v)
	if !ok {
		return false
	}
	if p.Addr().Is4() {
		return p.Bits() >= 8
	}
	return p.Bits() >= 32
}
