package iam

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// Role is a role as IAM describes it.
type Role struct {
	Name, ID, ARN, Path, Description string
	TrustPolicy                      string
	MaxSessionDuration               int
	CreatedAt                        time.Time
	Tags                             map[string]string
	PermissionsBoundary              string // managed policy ARN, or ""
}

// CreateRoleInput are CreateRole's parameters.
type CreateRoleInput struct {
	Name, Path, Description, TrustPolicy string
	MaxSessionDuration                   int // 0: one hour
	Tags                                 map[string]string
	PermissionsBoundary                  string // managed policy ARN, or ""
}

func (s *Service) roleARN(r store.Role) string {
	return "arn:aws:iam::" + s.account + ":role" + r.Path + r.Name
}

func (s *Service) describeRole(r store.Role) Role {
	return Role{Name: r.Name, ID: r.ID, ARN: s.roleARN(r), Path: r.Path, Description: r.Description,
		TrustPolicy: r.TrustPolicy, MaxSessionDuration: r.MaxSessionDuration, CreatedAt: r.CreatedAt, Tags: r.Tags,
		PermissionsBoundary: r.PermissionsBoundary}
}

func checkMaxSession(n int) (int, error) {
	if n == 0 {
		return 3600, nil
	}
	if n < 3600 || n > 43200 {
		return 0, ErrValidation.New("1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200", n)
	}
	return n, nil
}

// CreateRole creates a role with its trust policy.
func (s *Service) CreateRole(ctx context.Context, in CreateRoleInput) (Role, error) {
	if err := checkName("RoleName", in.Name, 64); err != nil {
		return Role{}, err
	}
	path, err := checkPath(in.Path)
	if err != nil {
		return Role{}, err
	}
	if len(in.Description) > 1000 {
		return Role{}, ErrValidation.New("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000")
	}
	if err := checkDocument(in.TrustPolicy, policy.Trust, maxTrustPolicy); err != nil {
		return Role{}, err
	}
	max, err := checkMaxSession(in.MaxSessionDuration)
	if err != nil {
		return Role{}, err
	}
	if in.PermissionsBoundary != "" {
		if err := s.checkBoundary(ctx, in.PermissionsBoundary); err != nil {
			return Role{}, err
		}
	}
	r := store.Role{Name: in.Name, ID: newID("AROA"), Path: path, Description: in.Description, TrustPolicy: in.TrustPolicy,
		MaxSessionDuration: max, CreatedAt: s.clock(), InlinePolicies: map[string]string{}, Tags: in.Tags,
		PermissionsBoundary: in.PermissionsBoundary}
	if err := s.st.CreateRole(ctx, r); err != nil {
		if isExists(err) {
			return Role{}, ErrEntityAlreadyExists.New("Role with name %s already exists.", in.Name)
		}
		return Role{}, err
	}
	return s.describeRole(r), nil
}

// GetRole returns a role.
func (s *Service) GetRole(ctx context.Context, name string) (Role, error) {
	r, err := s.getRole(ctx, name)
	if err != nil {
		return Role{}, err
	}
	return s.describeRole(r), nil
}

func (s *Service) getRole(ctx context.Context, name string) (store.Role, error) {
	if err := checkName("RoleName", name, 64); err != nil {
		return store.Role{}, err
	}
	r, err := s.st.GetRole(ctx, name)
	if isNotFound(err) {
		return r, ErrNoSuchEntity.New("The role with name %s cannot be found.", name)
	}
	return r, err
}

// ListRoles lists roles under pathPrefix in name order. marker is the last
// name of the previous page; next is "" on the last page.
func (s *Service) ListRoles(ctx context.Context, pathPrefix, marker string, maxItems int) (roles []Role, next string, err error) {
	if maxItems <= 0 {
		maxItems = 100
	}
	if maxItems > 1000 {
		return nil, "", ErrValidation.New("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000", maxItems)
	}
	if pathPrefix == "" {
		pathPrefix = "/"
	}
	after := marker
	for {
		page, err := s.st.ListRoles(ctx, after, 200)
		if err != nil {
			return nil, "", err
		}
		for _, r := range page {
			if !strings.HasPrefix(r.Path, pathPrefix) {
				continue
			}
			if len(roles) == maxItems {
				return roles, roles[len(roles)-1].Name, nil
			}
			roles = append(roles, s.describeRole(r))
		}
		if len(page) < 200 {
			return roles, "", nil
		}
		after = page[len(page)-1].Name
	}
}

// UpdateRole changes a role's description and maximum session duration.
func (s *Service) UpdateRole(ctx context.Context, name string, description *string, maxSession int) error {
	if _, err := s.getRole(ctx, name); err != nil {
		return err
	}
	var max int
	if maxSession != 0 {
		var err error
		if max, err = checkMaxSession(maxSession); err != nil {
			return err
		}
	}
	_, err := s.st.UpdateRole(ctx, name, func(r *store.Role) error {
		if description != nil {
			r.Description = *description
		}
		if max != 0 {
			r.MaxSessionDuration = max
		}
		return nil
	})
	return storeErr(err, "role "+name)
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, name, doc string) error {
	if _, err := s.getRole(ctx, name); err != nil {
		return err
	}
	if err := checkDocument(doc, policy.Trust, maxTrustPolicy); err != nil {
		return err
	}
	_, err := s.st.UpdateRole(ctx, name, func(r *store.Role) error { r.TrustPolicy = doc; return nil })
	return storeErr(err, "role "+name)
}

// DeleteRole deletes a role that has no policies left, as IAM requires.
func (s *Service) DeleteRole(ctx context.Context, name string) error {
	r, err := s.getRole(ctx, name)
	if err != nil {
		return err
	}
	if len(r.InlinePolicies) > 0 || len(r.AttachedPolicies) > 0 {
		return ErrDeleteConflict.New("Cannot delete entity, must delete policies first.")
	}
	return storeErr(s.st.DeleteRole(ctx, name), "role "+name)
}

// PutRolePolicy creates or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(ctx context.Context, role, name, doc string) error {
	if _, err := s.getRole(ctx, role); err != nil {
		return err
	}
	if err := checkName("PolicyName", name, 128); err != nil {
		return err
	}
	if err := checkDocument(doc, policy.Identity, maxRoleInline); err != nil {
		return err
	}
	_, err := s.st.UpdateRole(ctx, role, func(r *store.Role) error {
		if r.InlinePolicies == nil {
			r.InlinePolicies = map[string]string{}
		}
		r.InlinePolicies[name] = doc
		total := 0
		for _, d := range r.InlinePolicies {
			total += len(strings.Join(strings.Fields(d), ""))
		}
		if total > maxRoleInline {
			return ErrLimitExceeded.New("Maximum policy size of %d bytes exceeded for role %s", maxRoleInline, role)
		}
		return nil
	})
	return storeErr(err, "role "+role)
}

// GetRolePolicy returns an inline policy's document.
func (s *Service) GetRolePolicy(ctx context.Context, role, name string) (string, error) {
	r, err := s.getRole(ctx, role)
	if err != nil {
		return "", err
	}
	doc, ok := r.InlinePolicies[name]
	if !ok {
		return "", ErrNoSuchEntity.New("The role policy with name %s cannot be found.", name)
	}
	return doc, nil
}

// DeleteRolePolicy removes an inline policy.
func (s *Service) DeleteRolePolicy(ctx context.Context, role, name string) error {
	if _, err := s.GetRolePolicy(ctx, role, name); err != nil {
		return err
	}
	_, err := s.st.UpdateRole(ctx, role, func(r *store.Role) error {
		if _, ok := r.InlinePolicies[name]; !ok {
			return ErrNoSuchEntity.New("The role policy with name %s cannot be found.", name)
		}
		delete(r.InlinePolicies, name)
		return nil
	})
	return storeErr(err, "role "+role)
}

// ListRolePolicies lists the names of a role's inline policies.
func (s *Service) ListRolePolicies(ctx context.Context, role string) ([]string, error) {
	r, err := s.getRole(ctx, role)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(r.InlinePolicies))
	for n := range r.InlinePolicies {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}
