package iam

import (
	"context"

	"github.com/federa/federa/internal/store"
)

// checkBoundary verifies that arn names a managed policy, as IAM requires of
// a permissions boundary.
func (s *Service) checkBoundary(ctx context.Context, arn string) error {
	if _, err := s.lookupPolicy(ctx, arn); err != nil {
		if isNoSuchEntity(err) {
			return ErrNoSuchEntity.New("Scope ARN: %s does not exist or is not attachable.", arn)
		}
		return err
	}
	return nil
}

// PutRolePermissionsBoundary sets the managed policy that bounds what the
// role's own policies can allow.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, role, arn string) error {
	if _, err := s.getRole(ctx, role); err != nil {
		return err
	}
	if err := s.checkBoundary(ctx, arn); err != nil {
		return err
	}
	_, err := s.st.UpdateRole(ctx, role, func(r *store.Role) error {
		r.PermissionsBoundary = arn
		return nil
	})
	return storeErr(err, "role "+role)
}

// DeleteRolePermissionsBoundary removes the role's permissions boundary.
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, role string) error {
	r, err := s.getRole(ctx, role)
	if err != nil {
		return err
	}
	if r.PermissionsBoundary == "" {
		return ErrNoSuchEntity.New("The role with name %s does not have a permissions boundary.", role)
	}
	_, err = s.st.UpdateRole(ctx, role, func(r *store.Role) error {
		r.PermissionsBoundary = ""
		return nil
	})
	return storeErr(err, "role "+role)
}
