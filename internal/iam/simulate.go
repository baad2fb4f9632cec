package iam

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// SimulationInput is what IAM's SimulatePrincipalPolicy and
// SimulateCustomPolicy take.
type SimulationInput struct {
	// PolicySourceARN names the role whose policies are simulated; empty
	// for a custom simulation, which uses Policies only.
	PolicySourceARN string
	Policies        []string // PolicyInputList: more identity policies
	Boundaries      []string // PermissionsBoundaryPolicyInputList
	Actions         []string
	Resources       []string // "*" when empty
	ResourcePolicy  string
	ResourceOwner   string
	CallerARN       string
	Context         map[string][]string
}

// SimulatedStatement locates a statement that decided a simulation.
type SimulatedStatement struct {
	SourcePolicyID   string
	SourcePolicyType string // role, aws-managed, user-managed, resource, none
	Start, End       policy.Position
}

// SimulationResult is the decision for one action on one resource.
type SimulationResult struct {
	Action, Resource  string
	Decision          string // allowed, explicitDeny, implicitDeny
	Matched           []SimulatedStatement
	Missing           []string
	AllowedByBoundary *bool
	// Explanation is the engine's full account, for logs and the CLI.
	Explanation policy.Explanation
	// Warnings are the lint warnings of the simulated documents.
	Warnings []string
}

// source is a parsed document with the identity IAM's simulator gives it.
type source struct {
	id, kind string
	p        *policy.Policy
}

// Simulate evaluates every action on every resource, as IAM's policy
// simulator does, with the caller's policies, the given extra policies and
// boundaries, and the resource policy. No context key is added: keys the
// policies use but the input lacks are reported as missing.
func (s *Service) Simulate(ctx context.Context, in SimulationInput) ([]SimulationResult, error) {
	if len(in.Actions) == 0 {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null")
	}
	var identity []source
	var roleBoundary *policy.Policy
	caller := in.CallerARN
	if in.PolicySourceARN != "" {
		role, err := s.roleFromARN(ctx, in.PolicySourceARN)
		if err != nil {
			return nil, err
		}
		if caller == "" {
			caller = s.roleARN(role)
		}
		if roleBoundary, err = s.boundaryOf(ctx, role); err != nil {
			return nil, err
		}
		for _, name := range slices.Sorted(maps.Keys(role.InlinePolicies)) {
			p, err := s.parsed.get(role.InlinePolicies[name], policy.Identity)
			if err == nil {
				identity = append(identity, source{name, "role", p})
			}
		}
		for _, arn := range role.AttachedPolicies {
			m, err := s.lookupPolicy(ctx, arn)
			if isNoSuchEntity(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if p, err := s.parsed.get(m.Document, policy.Identity); err == nil {
				kind := "user-managed"
				if m.AWSManaged {
					kind = "aws-managed"
				}
				identity = append(identity, source{m.Name, kind, p})
			}
		}
	}
	parseAll := func(docs []string, list string) ([]source, error) {
		var out []source
		for i, d := range docs {
			p, err := policy.Parse(d, policy.Identity)
			if err != nil {
				return nil, ErrInvalidInput.New("%s.%d is not a valid policy: %s", list, i+1, policyMessage(err))
			}
			out = append(out, source{fmt.Sprintf("%s.%d", list, i+1), "none", p})
		}
		return out, nil
	}
	extra, err := parseAll(in.Policies, "PolicyInputList")
	if err != nil {
		return nil, err
	}
	identity = append(identity, extra...)
	if len(in.Boundaries) > 1 {
		return nil, ErrInvalidInput.New("PermissionsBoundaryPolicyInputList takes only one permissions boundary.")
	}
	boundaries, err := parseAll(in.Boundaries, "PermissionsBoundaryPolicyInputList")
	if err != nil {
		return nil, err
	}
	if in.ResourcePolicy != "" && caller == "" {
		return nil, ErrInvalidInput.New("CallerArn is required with a ResourcePolicy: the policy's Principal needs a caller to match.")
	}
	var resource *policy.Policy
	if in.ResourcePolicy != "" {
		if resource, err = policy.Parse(in.ResourcePolicy, policy.Resource); err != nil {
			return nil, ErrInvalidInput.New("ResourcePolicy is not a valid policy: %s", policyMessage(err))
		}
	}
	resources := in.Resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	account := s.account
	if in.ResourceOwner != "" {
		if parts := strings.Split(in.ResourceOwner, ":"); len(parts) == 6 {
			account = parts[4]
		}
	}

	var warnings []string
	for _, src := range append(append([]source{}, identity...), boundaries...) {
		for _, w := range src.p.Warnings {
			warnings = append(warnings, src.id+": "+w)
		}
	}
	if resource != nil {
		for _, w := range resource.Warnings {
			warnings = append(warnings, "ResourcePolicy: "+w)
		}
	}
	var out []SimulationResult
	for _, action := range in.Actions {
		for _, res := range resources {
			pin := policy.Input{Resource: resource, Request: policy.Request{
				Principal: policy.CallerFromARN(caller), Action: action, Resource: res, ResourceAccount: account, Context: in.Context}}
			for _, src := range identity {
				pin.Identity = append(pin.Identity, src.p)
			}
			// A boundary in the input replaces the role's own, as in IAM.
			pin.Boundary = roleBoundary
			if len(boundaries) == 1 {
				pin.Boundary = boundaries[0].p
			}
			x := policy.Explain(pin)
			r := SimulationResult{Action: action, Resource: res, Decision: simDecision(x.Decision),
				Missing: x.Missing, AllowedByBoundary: x.AllowedByBoundary, Explanation: x, Warnings: warnings}
			r.Matched = matched(x, identity, boundaries)
			out = append(out, r)
		}
	}
	return out, nil
}

// matched lists the statements that made the decision: the applying Deny
// statements of an explicit deny, the applying Allow statements of an
// allow, none for an implicit deny.
func matched(x policy.Explanation, identity, boundaries []source) []SimulatedStatement {
	if x.Decision == policy.ImplicitDeny {
		return nil
	}
	var out []SimulatedStatement
	for _, t := range x.Trace {
		if !t.Applies || t.Statement.Allow != (x.Decision == policy.Allow) {
			continue
		}
		id, kind := "", "none"
		switch t.Source {
		case policy.FromIdentity:
			id, kind = identity[t.Index].id, identity[t.Index].kind
		case policy.FromBoundary:
			if x.Decision == policy.Allow {
				continue // a boundary never grants
			}
			id = "PermissionsBoundary"
			if len(boundaries) == 1 {
				id = boundaries[0].id
			}
		case policy.FromResource:
			id, kind = "ResourcePolicy", "resource"
		default:
			continue
		}
		out = append(out, SimulatedStatement{SourcePolicyID: id, SourcePolicyType: kind, Start: t.Statement.Start, End: t.Statement.End})
	}
	return out
}

func simDecision(d policy.Decision) string {
	return [...]string{"implicitDeny", "allowed", "explicitDeny"}[d]
}

// roleFromARN finds the role a PolicySourceArn names.
func (s *Service) roleFromARN(ctx context.Context, arn string) (store.Role, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return store.Role{}, ErrInvalidInput.New("PolicySourceArn %s is not the ARN of a role; federa has roles, not IAM users or groups.", arn)
	}
	name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	r, err := s.getRole(ctx, name)
	if err != nil {
		return store.Role{}, err
	}
	if s.roleARN(r) != arn {
		return store.Role{}, ErrNoSuchEntity.New("The role with name %s cannot be found.", name)
	}
	return r, nil
}

func policyMessage(err error) string {
	if v, ok := err.(*policy.ValidationError); ok {
		return v.Message
	}
	return err.Error()
}
