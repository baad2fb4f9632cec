package iam

import (
	"context"
	"slices"
	"strings"

	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// CreatePolicyInput are CreatePolicy's parameters.
type CreatePolicyInput struct {
	Name, Path, Description, Document string
}

func fromStore(p store.ManagedPolicy) ManagedPolicy {
	m := ManagedPolicy{ARN: p.ARN, Name: p.Name, ID: p.ID, Path: p.Path, Description: p.Description,
		DefaultVersionID: p.DefaultVersionID, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	for _, v := range p.Versions {
		if v.ID == p.DefaultVersionID {
			m.Document = v.Document
		}
	}
	return m
}

// CreatePolicy creates a customer managed policy (version v1, the default).
func (s *Service) CreatePolicy(ctx context.Context, in CreatePolicyInput) (ManagedPolicy, error) {
	if err := checkName("PolicyName", in.Name, 128); err != nil {
		return ManagedPolicy{}, err
	}
	path, err := checkPath(in.Path)
	if err != nil {
		return ManagedPolicy{}, err
	}
	if err := checkDocument(in.Document, policy.Identity, maxManagedPolicy); err != nil {
		return ManagedPolicy{}, err
	}
	now := s.clock()
	p := store.ManagedPolicy{
		ARN: "arn:aws:iam::" + s.account + ":policy" + path + in.Name, Name: in.Name, ID: newID("ANPA"), Path: path,
		Description: in.Description, DefaultVersionID: "v1",
		Versions:  []store.PolicyVersion{{ID: "v1", Document: in.Document, CreatedAt: now}},
		CreatedAt: now, UpdatedAt: now,
	}
	// Policy names are unique in the account whatever their path.
	if existing, err := s.findPolicyByName(ctx, in.Name); err != nil {
		return ManagedPolicy{}, err
	} else if existing != "" {
		return ManagedPolicy{}, ErrEntityAlreadyExists.New("A policy called %s already exists. Duplicate names are not allowed.", in.Name)
	}
	if err := s.st.CreatePolicy(ctx, p); err != nil {
		if isExists(err) {
			return ManagedPolicy{}, ErrEntityAlreadyExists.New("A policy called %s already exists. Duplicate names are not allowed.", in.Name)
		}
		return ManagedPolicy{}, err
	}
	return fromStore(p), nil
}

func (s *Service) findPolicyByName(ctx context.Context, name string) (string, error) {
	after := ""
	for {
		page, err := s.st.ListPolicies(ctx, after, 500)
		if err != nil {
			return "", err
		}
		for _, p := range page {
			if strings.EqualFold(p.Name, name) {
				return p.ARN, nil
			}
		}
		if len(page) < 500 {
			return "", nil
		}
		after = page[len(page)-1].ARN
	}
}

// GetPolicy returns a managed policy, AWS's or the account's, with its
// default document and attachment count.
func (s *Service) GetPolicy(ctx context.Context, arn string) (ManagedPolicy, error) {
	p, err := s.lookupPolicy(ctx, arn)
	if err != nil {
		return ManagedPolicy{}, err
	}
	counts, err := s.attachmentCounts(ctx)
	p.AttachmentCount, p.PermissionsBoundaryUsageCount = counts[arn], counts[boundaryKey+arn]
	return p, err
}

// lookupPolicy finds a managed policy without counting attachments.
func (s *Service) lookupPolicy(ctx context.Context, arn string) (ManagedPolicy, error) {
	if p, ok := s.managed[arn]; ok {
		return p, nil
	}
	if !strings.HasPrefix(arn, "arn:aws:iam::") || !strings.Contains(arn, ":policy/") {
		return ManagedPolicy{}, ErrInvalidInput.New("ARN %s is not valid.", arn)
	}
	p, err := s.st.GetPolicy(ctx, arn)
	if isNotFound(err) {
		return ManagedPolicy{}, ErrNoSuchEntity.New("Policy %s does not exist or is not attachable.", arn)
	}
	if err != nil {
		return ManagedPolicy{}, err
	}
	return fromStore(p), nil
}

// GetPolicyVersion returns one version's document.
func (s *Service) GetPolicyVersion(ctx context.Context, arn, version string) (store.PolicyVersion, bool, error) {
	if p, ok := s.managed[arn]; ok {
		if version != p.DefaultVersionID {
			return store.PolicyVersion{}, false, ErrNoSuchEntity.New("Policy %s version %s does not exist or is not attachable.", arn, version)
		}
		return store.PolicyVersion{ID: version, Document: p.Document, CreatedAt: p.UpdatedAt}, true, nil
	}
	if _, err := s.lookupPolicy(ctx, arn); err != nil {
		return store.PolicyVersion{}, false, err
	}
	p, err := s.st.GetPolicy(ctx, arn)
	if err != nil {
		return store.PolicyVersion{}, false, storeErr(err, "policy "+arn)
	}
	for _, v := range p.Versions {
		if v.ID == version {
			return v, v.ID == p.DefaultVersionID, nil
		}
	}
	return store.PolicyVersion{}, false, ErrNoSuchEntity.New("Policy %s version %s does not exist or is not attachable.", arn, version)
}

// ListPoliciesInput are ListPolicies' parameters.
type ListPoliciesInput struct {
	Scope        string // All, AWS or Local
	OnlyAttached bool
	PathPrefix   string
	Marker       string
	MaxItems     int
}

// ListPolicies lists managed policies: AWS's catalog, then the account's,
// each in name order. The marker is the ARN of the last policy returned.
func (s *Service) ListPolicies(ctx context.Context, in ListPoliciesInput) ([]ManagedPolicy, string, error) {
	switch in.Scope {
	case "", "All", "AWS", "Local":
	default:
		return nil, "", ErrValidation.New("1 validation error detected: Value '%s' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]", in.Scope)
	}
	if in.MaxItems <= 0 {
		in.MaxItems = 100
	}
	if in.PathPrefix == "" {
		in.PathPrefix = "/"
	}
	counts, err := s.attachmentCounts(ctx)
	if err != nil {
		return nil, "", err
	}
	var all []ManagedPolicy
	if in.Scope != "Local" {
		all = append(all, s.managed.sorted()...)
	}
	if in.Scope != "AWS" {
		after := ""
		for {
			page, err := s.st.ListPolicies(ctx, after, 500)
			if err != nil {
				return nil, "", err
			}
			for _, p := range page {
				all = append(all, fromStore(p))
			}
			if len(page) < 500 {
				break
			}
			after = page[len(page)-1].ARN
		}
	}
	started := in.Marker == ""
	var out []ManagedPolicy
	for _, p := range all {
		if !started {
			started = p.ARN == in.Marker
			continue
		}
		p.AttachmentCount, p.PermissionsBoundaryUsageCount = counts[p.ARN], counts[boundaryKey+p.ARN]
		if (in.OnlyAttached && p.AttachmentCount == 0) || !strings.HasPrefix(p.Path, in.PathPrefix) {
			continue
		}
		if len(out) == in.MaxItems {
			return out, out[len(out)-1].ARN, nil
		}
		out = append(out, p)
	}
	return out, "", nil
}

// DeletePolicy deletes a customer managed policy that is attached nowhere.
func (s *Service) DeletePolicy(ctx context.Context, arn string) error {
	if _, ok := s.managed[arn]; ok {
		return ErrInvalidInput.New("ARN %s is an AWS managed policy and cannot be deleted.", arn)
	}
	if _, err := s.lookupPolicy(ctx, arn); err != nil {
		return err
	}
	counts, err := s.attachmentCounts(ctx)
	if err != nil {
		return err
	}
	if counts[arn] > 0 {
		return ErrDeleteConflict.New("Cannot delete a policy attached to entities.")
	}
	if counts[boundaryKey+arn] > 0 {
		return ErrDeleteConflict.New("Cannot delete a policy used as a permissions boundary: delete the roles' boundaries first.")
	}
	return storeErr(s.st.DeletePolicy(ctx, arn), "policy "+arn)
}

// AttachRolePolicy attaches a managed policy to a role.
func (s *Service) AttachRolePolicy(ctx context.Context, role, arn string) error {
	if _, err := s.getRole(ctx, role); err != nil {
		return err
	}
	if _, err := s.lookupPolicy(ctx, arn); err != nil {
		return err
	}
	_, err := s.st.UpdateRole(ctx, role, func(r *store.Role) error {
		if slices.Contains(r.AttachedPolicies, arn) {
			return nil
		}
		if len(r.AttachedPolicies) >= 20 {
			return ErrLimitExceeded.New("Cannot exceed quota for PoliciesPerRole: 20")
		}
		r.AttachedPolicies = append(r.AttachedPolicies, arn)
		return nil
	})
	return storeErr(err, "role "+role)
}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Service) DetachRolePolicy(ctx context.Context, role, arn string) error {
	r, err := s.getRole(ctx, role)
	if err != nil {
		return err
	}
	if !slices.Contains(r.AttachedPolicies, arn) {
		return ErrNoSuchEntity.New("Policy %s was not found.", arn)
	}
	_, err = s.st.UpdateRole(ctx, role, func(r *store.Role) error {
		kept := r.AttachedPolicies[:0]
		for _, a := range r.AttachedPolicies {
			if a != arn {
				kept = append(kept, a)
			}
		}
		r.AttachedPolicies = kept
		return nil
	})
	return storeErr(err, "role "+role)
}

// AttachedPolicy names a policy attached to a role.
type AttachedPolicy struct{ Name, ARN string }

// ListAttachedRolePolicies lists the managed policies attached to a role.
func (s *Service) ListAttachedRolePolicies(ctx context.Context, role string) ([]AttachedPolicy, error) {
	r, err := s.getRole(ctx, role)
	if err != nil {
		return nil, err
	}
	out := make([]AttachedPolicy, 0, len(r.AttachedPolicies))
	for _, a := range r.AttachedPolicies {
		out = append(out, AttachedPolicy{Name: a[strings.LastIndex(a, "/")+1:], ARN: a})
	}
	return out, nil
}

// boundaryKey prefixes, in attachmentCounts, the ARNs of policies counted as
// permissions boundaries rather than attachments.
const boundaryKey = "boundary:"

// attachmentCounts counts attachments by scanning roles; accounts hold at
// most a few thousand roles, so this stays cheap and needs no second index
// that could drift.
func (s *Service) attachmentCounts(ctx context.Context) (map[string]int, error) {
	counts := map[string]int{}
	after := ""
	for {
		page, err := s.st.ListRoles(ctx, after, 500)
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			for _, a := range r.AttachedPolicies {
				counts[a]++
			}
			if r.PermissionsBoundary != "" {
				// A policy in use as a boundary cannot be deleted either.
				counts[boundaryKey+r.PermissionsBoundary]++
			}
		}
		if len(page) < 500 {
			return counts, nil
		}
		after = page[len(page)-1].Name
	}
}
