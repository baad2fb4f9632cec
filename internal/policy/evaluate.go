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

// Result is a decision and what made it. The explanation is kept as
// references and formatted only when Reason is called, so deciding a
// request costs no string building.
type Result struct {
	Decision Decision
	// where names the policy that decided ("identity policy", …); st is the
	// deciding statement and index the identity policy's position.
	where string
	index int
	st    *Statement
	// fixed is a complete reason for decisions no statement made.
	fixed string
	// action and resource describe an implicit deny.
	action, resource, sessionWhy string
}

// Reason explains the decision in words: which statement of which policy
// allowed or denied, or that nothing allowed.
func (r Result) Reason() string {
	switch {
	case r.fixed != "":
		return r.fixed
	case r.st == nil:
		return "no statement allows " + r.action + " on " + r.resource + r.sessionWhy
	}
	effect := "Deny"
	if r.st.Allow {
		effect = "Allow"
	}
	name := fmt.Sprintf("statement %q", r.st.Sid)
	if r.st.Sid == "" {
		name = "a statement"
	}
	where := r.where
	if strings.HasPrefix(where, "identity") {
		where = fmt.Sprintf("%s %d", where, r.index+1)
	}
	return fmt.Sprintf("%s (%s) of the %s", name, effect, where)
}

// context is the request context with lower-cased keys.
type context map[string][]string

// get looks a key up case-insensitively. Keys are usually given in their
// canonical spelling, so the exact lookup almost always hits; the scan only
// runs for keys spelled differently or absent, and allocates nothing.
func (c context) get(key string) ([]string, bool) {
	if v, ok := c[key]; ok {
		return v, true
	}
	for k, v := range c {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// Evaluate applies the IAM evaluation logic
// (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
// an explicit Deny anywhere wins; otherwise identity policies (narrowed by a
// session policy) or the resource policy may allow; otherwise implicit deny.
func Evaluate(in Input) Result {
	r := in.Request
	action := r.Action
	if strings.EqualFold(action, "sts:GetCallerIdentity") {
		return Result{Decision: Allow, fixed: "sts:GetCallerIdentity is always allowed"}
	}
	e := evaluation{req: r, action: action, ctx: context(r.Context), foldUntil: caseBlindPrefix(r.Resource)}

	for i, p := range in.Identity {
		if st := e.first(p, false, false); st != nil {
			return Result{Decision: ExplicitDeny, where: "identity policy", index: i, st: st}
		}
	}
	if st := e.first(in.Session, false, false); st != nil {
		return Result{Decision: ExplicitDeny, where: "session policy", index: 0, st: st}
	}
	if in.Resource != nil {
		for _, st := range in.Resource.Statements {
			if !st.Allow && e.applies(st, in.Resource.Substitutes) && e.principal(st) != noMatch {
				return Result{Decision: ExplicitDeny, where: "resource policy", index: 0, st: st}
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
	assumeRole := len(action) >= 14 && strings.EqualFold(action[:14], "sts:AssumeRole")
	if identityAllow != nil && sessionOK && !assumeRole {
		return Result{Decision: Allow, where: "identity policy", index: idx, st: identityAllow}
	}
	if in.Resource != nil {
		for _, st := range in.Resource.Statements {
			if !st.Allow || !e.applies(st, in.Resource.Substitutes) {
				continue
			}
			switch e.principal(st) {
			case sessionMatch:
				return Result{Decision: Allow, where: "resource policy (naming the session)", index: 0, st: st}
			case roleMatch:
				if sessionOK {
					return Result{Decision: Allow, where: "resource policy", index: 0, st: st}
				}
			case accountMatch:
				if assumeRole && identityAllow != nil && sessionOK {
					return Result{Decision: Allow, where: "trust policy with an identity-policy allow", index: 0, st: st}
				}
			}
		}
	}
	return Result{Decision: ImplicitDeny, action: r.Action, resource: r.Resource, sessionWhy: sessionWhy}
}

type evaluation struct {
	req    Request
	action string
	ctx    context
	// foldUntil is the case-blind prefix of the resource ARN.
	foldUntil int
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
		if matchAction(a, e.action) {
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
			var buf [maxPieces]piece
			ps, ok := expand(raw, e.ctx, substitutes, true, buf[:])
			if ok && matchPieces(ps, e.req.Resource, e.foldUntil) {
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
