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
	// ManagedSession are the managed session policies (STS PolicyArns).
	// With Session they are the session policies: any of them may allow,
	// a Deny in any denies.
	ManagedSession []*Policy
	// Boundary is the permissions boundary of the caller's role or user;
	// nil when none. Like a session policy it only narrows.
	Boundary *Policy
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

// Source says which kind of policy a statement belongs to.
type Source int

const (
	// FromIdentity: an identity policy (inline or attached).
	FromIdentity Source = iota
	// FromSession: the session policy.
	FromSession
	// FromBoundary: the permissions boundary.
	FromBoundary
	// FromResource: the resource policy (a bucket or trust policy).
	FromResource
)

// String names the source in words.
func (s Source) String() string {
	return [...]string{"identity policy", "session policy", "permissions boundary", "resource policy"}[s]
}

// Result is a decision and what made it. The explanation is kept as
// references and formatted only when Reason is called, so deciding a
// request costs no string building.
type Result struct {
	Decision Decision
	// Source and Index locate the deciding statement's policy (Index is the
	// position among the identity policies); Statement is nil when no
	// statement decided.
	Source    Source
	Index     int
	Statement *Statement
	// note qualifies the deciding statement ("naming the session"), fixed
	// is a whole reason for decisions no statement made, and narrowed says
	// which policy withheld an allow.
	note, fixed, narrowed string
	action, resource      string
}

// Reason explains the decision in words: which statement of which policy
// allowed or denied, or that nothing allowed.
func (r Result) Reason() string {
	switch {
	case r.fixed != "":
		return r.fixed
	case r.Statement == nil:
		why := "no statement allows " + r.action + " on " + r.resource
		if r.narrowed != "" {
			why += "; the " + r.narrowed + " does not allow it"
		}
		return why
	}
	return describe(r.Statement) + " of the " + where(r.Source, r.Index) + r.note
}

// describe names a statement by its Sid and effect.
func describe(st *Statement) string {
	effect := "Deny"
	if st.Allow {
		effect = "Allow"
	}
	if st.Sid == "" {
		return fmt.Sprintf("a statement (%s)", effect)
	}
	return fmt.Sprintf("statement %q (%s)", st.Sid, effect)
}

// where names a policy: "identity policy 2", "session policy", ….
func where(s Source, index int) string {
	if s == FromIdentity {
		return fmt.Sprintf("%s %d", s, index+1)
	}
	return s.String()
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
// an explicit Deny in any policy wins; otherwise identity policies (narrowed
// by a session policy and a permissions boundary) or the resource policy may
// allow; otherwise implicit deny.
func Evaluate(in Input) Result {
	r := in.Request
	action := r.Action
	if strings.EqualFold(action, "sts:GetCallerIdentity") {
		return Result{Decision: Allow, fixed: "sts:GetCallerIdentity is always allowed"}
	}
	e := newEvaluation(r)

	for i, p := range in.Identity {
		if st := e.first(p, false); st != nil {
			return Result{Decision: ExplicitDeny, Source: FromIdentity, Index: i, Statement: st}
		}
	}
	if st := e.first(in.Session, false); st != nil {
		return Result{Decision: ExplicitDeny, Source: FromSession, Statement: st}
	}
	for _, p := range in.ManagedSession {
		if st := e.first(p, false); st != nil {
			return Result{Decision: ExplicitDeny, Source: FromSession, Statement: st}
		}
	}
	if st := e.first(in.Boundary, false); st != nil {
		return Result{Decision: ExplicitDeny, Source: FromBoundary, Statement: st}
	}
	if in.Resource != nil {
		for _, st := range in.Resource.Statements {
			if !st.Allow && e.applies(st, in.Resource.Substitutes) && e.principal(st) != noMatch {
				return Result{Decision: ExplicitDeny, Source: FromResource, Statement: st}
			}
		}
	}

	// Session policies and permissions boundaries narrow what the identity
	// policies, and a resource policy naming the role, allow; a grant to
	// anyone is narrowed by the session policy only.
	narrowed, sessionNarrowed := "", false
	if (in.Session != nil || len(in.ManagedSession) > 0) && !e.sessionAllows(in) {
		narrowed, sessionNarrowed = FromSession.String(), true
	} else if in.Boundary != nil && e.first(in.Boundary, true) == nil {
		narrowed = FromBoundary.String()
	}
	var identityAllow *Statement
	idx := 0
	for i, p := range in.Identity {
		if st := e.first(p, true); st != nil {
			identityAllow, idx = st, i
			break
		}
	}
	assumeRole := len(action) >= 14 && strings.EqualFold(action[:14], "sts:AssumeRole")
	if identityAllow != nil && narrowed == "" && !assumeRole {
		return Result{Decision: Allow, Source: FromIdentity, Index: idx, Statement: identityAllow}
	}
	if in.Resource != nil {
		for _, st := range in.Resource.Statements {
			if !st.Allow || !e.applies(st, in.Resource.Substitutes) {
				continue
			}
			switch e.principal(st) {
			case sessionMatch:
				// Naming the caller itself grants beyond session policy and
				// boundary (the evaluation-logic page's resource-policy rule).
				return Result{Decision: Allow, Source: FromResource, Statement: st, note: " (naming the caller)"}
			case roleMatch:
				if narrowed == "" {
					return Result{Decision: Allow, Source: FromResource, Statement: st}
				}
			case anyoneMatch:
				if !sessionNarrowed {
					return Result{Decision: Allow, Source: FromResource, Statement: st}
				}
			case accountMatch:
				if assumeRole && identityAllow != nil && narrowed == "" {
					return Result{Decision: Allow, Source: FromResource, Statement: st, note: " with an identity-policy allow"}
				}
			}
		}
	}
	return Result{Decision: ImplicitDeny, action: r.Action, resource: r.Resource, narrowed: narrowed}
}

type evaluation struct {
	req    Request
	action string
	ctx    context
	// foldUntil is the case-blind prefix of the resource ARN.
	foldUntil int
}

func newEvaluation(r Request) evaluation {
	return evaluation{req: r, action: r.Action, ctx: context(r.Context), foldUntil: caseBlindPrefix(r.Resource)}
}

// first returns the first statement of p with the given effect that applies.
func (e *evaluation) first(p *Policy, allow bool) *Statement {
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

// sessionAllows reports whether any session policy allows the request.
func (e *evaluation) sessionAllows(in Input) bool {
	if e.first(in.Session, true) != nil {
		return true
	}
	for _, p := range in.ManagedSession {
		if e.first(p, true) != nil {
			return true
		}
	}
	return false
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
			return anyoneMatch
		}
		return noMatch
	}
	return m
}

// part names the element of a statement that did not match a request.
type part int

const (
	matched part = iota
	actionPart
	resourcePart
	conditionPart
)

// applies reports whether Action/NotAction, Resource/NotResource and every
// condition match (Principal is checked by the caller).
func (e *evaluation) applies(st *Statement, substitutes bool) bool {
	p, _ := e.mismatch(st, substitutes)
	return p == matched
}

// mismatch finds the first element of st that does not match the request:
// the action, the resource, or condition number cond.
func (e *evaluation) mismatch(st *Statement, substitutes bool) (p part, cond int) {
	hit := false
	for _, a := range st.Actions {
		if matchAction(a, e.action) {
			hit = true
			break
		}
	}
	if hit == st.NotAction {
		return actionPart, 0
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
			return resourcePart, 0
		}
	}
	for i, c := range st.Conditions {
		if !c.eval(e.ctx, substitutes) {
			return conditionPart, i
		}
	}
	return matched, 0
}
