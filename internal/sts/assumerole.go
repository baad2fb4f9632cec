package sts

import (
	"context"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/policy"
)

// AssumeRoleInput are AssumeRole's parameters.
type AssumeRoleInput struct {
	RoleARN, RoleSessionName string
	DurationSeconds          int // 0: one hour
	Policy                   string
	PolicyARNs               []string
}

// allowAll stands for the account root's identity permissions: root may do
// anything its account's resource policies let the account do.
var allowAll = func() *policy.Policy {
	p, err := policy.Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, policy.Identity)
	if err != nil {
		panic(err)
	}
	return p
}()

// AssumeRole gives an IAM caller a session of a role in the account. A
// role session is authorized as any request is (its own policies, and the
// role's trust policy as the resource policy); the account root, federa's
// administrator, needs a trust policy that trusts the account or root.
func (s *Service) AssumeRole(ctx context.Context, caller *access.Principal, in AssumeRoleInput, authz access.Authorizer) (Credentials, AssumedRoleUser, error) {
	if !roleSessionNamePattern.MatchString(in.RoleSessionName) {
		return Credentials{}, AssumedRoleUser{}, ErrValidation.New("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64", in.RoleSessionName)
	}
	role, err := s.roleFor(ctx, in.RoleARN)
	if err != nil {
		return Credentials{}, AssumedRoleUser{}, err
	}
	d := time.Hour
	if in.DurationSeconds != 0 {
		if in.DurationSeconds < 900 || in.DurationSeconds > 43200 {
			return Credentials{}, AssumedRoleUser{}, ErrValidation.New("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200", in.DurationSeconds)
		}
		d = time.Duration(in.DurationSeconds) * time.Second
	}
	if max := time.Duration(role.MaxSessionDuration) * time.Second; max > 0 && d > max {
		return Credentials{}, AssumedRoleUser{}, ErrValidation.New("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	if err := s.checkSessionPolicies(ctx, in.Policy, in.PolicyARNs); err != nil {
		return Credentials{}, AssumedRoleUser{}, err
	}
	denied := ErrAccessDenied.New("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller.ARN, in.RoleARN)
	switch caller.Kind {
	case access.Root:
		trust, err := policy.Parse(role.TrustPolicy, policy.Trust)
		if err != nil {
			return Credentials{}, AssumedRoleUser{}, denied
		}
		res := policy.Evaluate(policy.Input{Identity: []*policy.Policy{allowAll}, Resource: trust, Request: policy.Request{
			Principal: policy.Principal{ARN: caller.ARN, Account: caller.Account},
			Action:    "sts:AssumeRole", Resource: in.RoleARN, ResourceAccount: s.account,
		}})
		if res.Decision != policy.Allow {
			return Credentials{}, AssumedRoleUser{}, denied
		}
	case access.AssumedRole:
		dec, err := authz.Authorize(ctx, access.Check{Principal: caller, Action: "sts:AssumeRole", Resource: in.RoleARN, ResourcePolicy: role.TrustPolicy})
		if err != nil {
			return Credentials{}, AssumedRoleUser{}, err
		}
		if !dec.Allowed {
			return Credentials{}, AssumedRoleUser{}, denied
		}
	default:
		return Credentials{}, AssumedRoleUser{}, denied
	}
	return s.issue(ctx, role, in.RoleSessionName, d, map[string][]string{}, in.Policy, in.PolicyARNs)
}
