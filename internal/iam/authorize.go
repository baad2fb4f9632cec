package iam

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// Authorize implements access.Authorizer: it gathers the caller's identity
// policies (the role's inline and attached policies), the session policy and
// the resource policy, adds the request-independent condition keys, and asks
// the policy engine. The root key is always allowed, as in AWS; an anonymous
// caller has no identity policies, so only a resource policy can allow it.
func (s *Service) Authorize(ctx context.Context, c access.Check) (access.Decision, error) {
	p := c.Principal
	if p == nil {
		p = &access.Principal{Kind: access.Anonymous}
	}
	if p.Kind == access.Root {
		return access.Decision{Allowed: true, Reason: "the account root is allowed every action"}, nil
	}
	in := policy.Input{Request: policy.Request{
		Action: c.Action, Resource: c.Resource, ResourceAccount: s.account,
		Context: s.requestContext(c, p),
	}}
	if c.ResourcePolicy != "" {
		kind := policy.Resource
		if strings.HasPrefix(c.Action, "sts:AssumeRole") {
			kind = policy.Trust // the role's trust policy is its resource policy
		}
		rp, err := s.parsed.get(c.ResourcePolicy, kind)
		if err != nil {
			// A stored policy always parsed once; if it no longer does, deny.
			return access.Decision{Reason: "the resource policy is invalid: " + err.Error()}, nil
		}
		in.Resource = rp
	}
	switch p.Kind {
	case access.Anonymous:
		in.Request.Principal = policy.Principal{Anonymous: true}
	case access.AssumedRole:
		in.Request.Principal = policy.Principal{ARN: p.ARN, RoleARN: p.RoleARN, Account: p.Account}
		role, err := s.st.GetRole(ctx, p.RoleName)
		if isNotFound(err) || (err == nil && !sessionOf(role, p)) {
			// The role was deleted (and perhaps re-created): its sessions
			// lose every permission, as on AWS.
			return access.Decision{Reason: "the session's role " + p.RoleName + " no longer exists"}, nil
		}
		if err != nil {
			return access.Decision{}, err
		}
		if sub := p.Context["cognito-identity.amazonaws.com:sub"]; len(sub) == 1 {
			// Deleting an identity ends its sessions, as on AWS.
			if _, err := s.st.GetIdentity(ctx, sub[0]); isNotFound(err) {
				return access.Decision{Reason: "the session's identity " + sub[0] + " was deleted"}, nil
			} else if err != nil {
				return access.Decision{}, err
			}
		}
		if in.Identity, err = s.identityPolicies(ctx, role); err != nil {
			return access.Decision{}, err
		}
		if in.Boundary, err = s.boundaryOf(ctx, role); err != nil {
			return access.Decision{}, err
		}
		if p.SessionPolicy != "" {
			sp, err := s.parsed.get(p.SessionPolicy, policy.Identity)
			if err != nil {
				return access.Decision{Reason: "the session policy is invalid"}, nil
			}
			in.Session = sp
		}
		for _, arn := range p.SessionPolicyARNs {
			m, err := s.lookupPolicy(ctx, arn)
			if isNoSuchEntity(err) {
				// A deleted managed session policy allows nothing, but it
				// still narrows: the session keeps only what its other
				// session policies allow.
				in.ManagedSession = append(in.ManagedSession, allowNothing)
				continue
			}
			if err != nil {
				return access.Decision{}, err
			}
			mp, err := s.parsed.get(m.Document, policy.Identity)
			if err != nil {
				return access.Decision{Reason: "a managed session policy is invalid"}, nil
			}
			in.ManagedSession = append(in.ManagedSession, mp)
		}
	default:
		return access.Decision{Reason: "unknown kind of caller"}, nil
	}
	res := policy.Evaluate(in)
	d := access.Decision{Allowed: res.Decision == policy.Allow, Explicit: res.Decision == policy.ExplicitDeny}
	if !d.Allowed {
		// Only refusals are explained (in logs and messages); allowed
		// requests skip formatting.
		d.Reason = res.Reason()
		if slog.Default().Enabled(ctx, slog.LevelDebug) {
			// Explaining re-evaluates every statement: only when the
			// line will be written.
			slog.DebugContext(ctx, "request denied", "principal", p.ARN, "action", c.Action, "resource", c.Resource,
				"decision", res.Decision.String(), "reason", d.Reason, "near_misses", policy.Explain(in).NearMisses())
		}
	}
	return d, nil
}

// sessionOf reports whether p is a session of this very role: the unique id
// in aws:userid must match, so a role re-created under the same name does not
// inherit the old role's sessions.
func sessionOf(r store.Role, p *access.Principal) bool {
	id, _, _ := strings.Cut(p.UserID, ":")
	return id == r.ID
}

// identityPolicies parses (through the cache) every policy of the role.
func (s *Service) identityPolicies(ctx context.Context, r store.Role) ([]*policy.Policy, error) {
	out := make([]*policy.Policy, 0, len(r.InlinePolicies)+len(r.AttachedPolicies))
	for _, doc := range r.InlinePolicies {
		p, err := s.parsed.get(doc, policy.Identity)
		if err != nil {
			continue // validated on write; an unparsable document grants nothing
		}
		out = append(out, p)
	}
	for _, arn := range r.AttachedPolicies {
		m, err := s.lookupPolicy(ctx, arn)
		if err != nil {
			if isNoSuchEntity(err) {
				continue // detached by deletion: grants nothing
			}
			return nil, err
		}
		p, err := s.parsed.get(m.Document, policy.Identity)
		if err != nil {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// boundaryOf parses the role's permissions boundary; nil when it has none.
// A boundary that cannot be read bounds everything away: fail closed.
func (s *Service) boundaryOf(ctx context.Context, r store.Role) (*policy.Policy, error) {
	if r.PermissionsBoundary == "" {
		return nil, nil
	}
	m, err := s.lookupPolicy(ctx, r.PermissionsBoundary)
	if err != nil && !isNoSuchEntity(err) {
		return nil, err
	}
	if err == nil {
		if p, err := s.parsed.get(m.Document, policy.Identity); err == nil {
			return p, nil
		}
	}
	return denyAll, nil
}

// denyAll is the boundary of a role whose boundary policy is gone.
var denyAll = func() *policy.Policy {
	p, err := policy.Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`, policy.Identity)
	if err != nil {
		panic(err)
	}
	return p
}()

// allowNothing stands for a session policy that no longer exists.
var allowNothing = func() *policy.Policy {
	p, err := policy.Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"federa:Nothing","Resource":"*"}}`, policy.Identity)
	if err != nil {
		panic(err)
	}
	return p
}()

func isNoSuchEntity(err error) bool { return ErrNoSuchEntity.Is(err) }

// requestContext merges the check's keys, the session's keys and the global
// keys AWS sets on every request.
func (s *Service) requestContext(c access.Check, p *access.Principal) map[string][]string {
	ctx := make(map[string][]string, len(c.Context)+len(p.Context)+8)
	for k, v := range c.Context {
		ctx[k] = v
	}
	for k, v := range p.Context {
		ctx[k] = v
	}
	now := s.now().UTC()
	ctx["aws:CurrentTime"] = []string{now.Format(time.RFC3339)}
	ctx["aws:EpochTime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	if p.Kind == access.Anonymous {
		return ctx
	}
	ctx["aws:PrincipalAccount"] = []string{p.Account}
	ctx["aws:PrincipalType"] = []string{p.Kind.String()}
	ctx["aws:userid"] = []string{p.UserID}
	if p.Kind == access.AssumedRole {
		ctx["aws:PrincipalArn"] = []string{p.RoleARN}
		if !p.IssuedAt.IsZero() {
			ctx["aws:TokenIssueTime"] = []string{p.IssuedAt.UTC().Format(time.RFC3339)}
		}
	} else {
		ctx["aws:PrincipalArn"] = []string{p.ARN}
	}
	return ctx
}
