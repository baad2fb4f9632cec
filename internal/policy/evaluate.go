package policy

import (
	"fmt"
	"strings"
)

// Principal is the caller as resource and trust policies see it.
type Principal struct {
	// ARN is the session ARN (arn:aws:sts::ACCT:assumed-role/ROLE/SESSION),
	// a user ARN, or arn:aws:iam::ACCT:root.
	ARN string
	// RoleARN is the role of an assumed-role session; it matches every
	// session of the role.
	RoleARN string
	Account string
	// Federated is the web identity provider for sts:AssumeRoleWithWebIdentity.
	Federated string
	Anonymous bool
}

// Request is what is being asked.
type Request struct {
	Principal       Principal
	Action          string // service:Action
	Resource        string // ARN, or "*"
	ResourceAccount string
	// Context maps condition keys to values; keys compare case-insensitively.
	Context map[string][]string
}

// Input is everything one decision needs.
type Input struct {
	Identity []*Policy // union applies
	Resource *Policy   // bucket policy or trust policy; nil when none
	Session  *Policy   // nil when none
	Request  Request
}

// Decision is the outcome of Evaluate.
type Decision int

const (
	// ImplicitDeny: nothing denies, nothing (sufficient) allows.
	ImplicitDeny Decision = iota
	// Allow: the request is permitted.
	Allow
	// ExplicitDeny: a Deny statement matched.
	ExplicitDeny
)

// String names the decision.
func (d Decision) String() string {
	return [...]string{"ImplicitDeny", "Allow", "ExplicitDeny"}[d]
}

// Result is a decision and the statement that made it.
type Result struct {
	Decision Decision
	Reason   string
}

// context is the request context with lower-cased keys.
type context map[string][]string

func (c context) get(key string) ([]string, bool) {
	v, ok := c[strings.ToLower(key)]
	return v, ok
}

// Evaluate applies the IAM evaluation logic
// (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
// an explicit Deny anywhere wins; otherwise identity policies (narrowed by a
// session policy) or the resource policy may allow; otherwise implicit deny.
func Evaluate(in Input) Result {
	r := in.Request
	action := strings.ToLower(r.Action)
	if action == "sts:getcalleridentity" {
		return Result{Allow, "sts:GetCallerIdentity is always allowed"}
	}
	ctx := make(context, len(r.Context))
	for k, v := range r.Context {
		ctx[strings.ToLower(k)] = v
	}
	e := evaluation{req: r, action: action, ctx: ctx}

	for i, p := range in.Identity {
		if st := e.first(p, false, false); st != nil {
			return Result{ExplicitDeny, e.why("identity policy", i, st)}
		}
	}
	if st := e.first(in.Session, false, false); st != nil {
		return Result{ExplicitDeny, e.why("session policy", 0, st)}
	}
	if in.Resource != nil {
		for _, st := range in.Resource.Statements {
			if !st.Allow && e.applies(st, in.Resource.Substitutes) && e.principal(st) != noMatch {
				return Result{ExplicitDeny, e.why("resource policy", 0, st)}
			}
		}
	}

	sessionOK, sessionWhy := true, ""
	if in.Session != nil {
		st := e.first(in.Session, true, false)
		sessionOK = st != nil
		if !sessionOK {
			sessionWhy = "; the session policy does not allow it"
		}
	}
	var identityAllow *Statement
	idx := 0
	for i, p := range in.Identity {
		if st := e.first(p, true, false); st != nil {
			identityAllow, idx = st, i
			break
		}
	}
	assumeRole := strings.HasPrefix(action, "sts:assumerole")
	if identityAllow != nil && sessionOK && !assumeRole {
		return Result{Allow, e.why("identity policy", idx, identityAllow)}
	}
	if in.Resource != nil {
		for _, st := range in.Resource.Statements {
			if !st.Allow || !e.applies(st, in.Resource.Substitutes) {
				continue
			}
			switch e.principal(st) {
			case sessionMatch:
				return Result{Allow, e.why("resource policy (naming the session)", 0, st)}
			case roleMatch:
				if sessionOK {
					return Result{Allow, e.why("resource policy", 0, st)}
				}
			case accountMatch:
				if assumeRole && identityAllow != nil && sessionOK {
					return Result{Allow, e.why("trust policy with an identity-policy allow", 0, st)}
				}
			}
		}
	}
	return Result{ImplicitDeny, "no statement allows " + r.Action + " on " + r.Resource + sessionWhy}
}

type evaluation struct {
	req    Request
	action string
	ctx    context
}

// first returns the first statement of p with the given effect that applies.
func (e *evaluation) first(p *Policy, allow bool, _ bool) *Statement {
	if p == nil {
		return nil
	}
	for _, st := range p.Statements {
		if st.Allow == allow && e.applies(st, p.Substitutes) {
			return st
		}
	}
	return nil
}

// principal is how a resource-policy statement's Principal/NotPrincipal
// relates to the caller.
func (e *evaluation) principal(st *Statement) principalMatch {
	if st.Principal == nil {
		return noMatch
	}
	m := st.Principal.match(e.req.Principal)
	if st.NotPrincipal {
		if m == noMatch {
			return roleMatch
		}
		return noMatch
	}
	return m
}

// applies reports whether Action/NotAction, Resource/NotResource and every
// condition match (Principal is checked by the caller).
func (e *evaluation) applies(st *Statement, substitutes bool) bool {
	hit := false
	for _, a := range st.Actions {
		if matchGlob(a, e.action) {
			hit = true
			break
		}
	}
	if hit == st.NotAction {
		return false
	}
	if st.HasResource {
		hit = false
		for _, raw := range st.Resources {
			if raw == "*" {
				hit = true
				break
			}
			toks, ok := substitute(raw, e.ctx, substitutes, true)
			if ok && matchTokens(toks, e.req.Resource) {
				hit = true
				break
			}
		}
		if hit == st.NotResource {
			return false
		}
	}
	for _, c := range st.Conditions {
		if !c.eval(e.ctx, substitutes) {
			return false
		}
	}
	return true
}

func (e *evaluation) why(where string, i int, st *Statement) string {
	effect := "Deny"
	if st.Allow {
		effect = "Allow"
	}
	name := fmt.Sprintf("statement %q", st.Sid)
	if st.Sid == "" {
		name = "a statement"
	}
	if strings.HasPrefix(where, "identity") {
		where = fmt.Sprintf("%s %d", where, i+1)
	}
	return fmt.Sprintf("%s (%s) of the %s", name, effect, where)
}
