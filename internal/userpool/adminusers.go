package userpool

import (
	"context"

	"github.com/federa/federa/internal/store"
)

// adminUser finds a user of a pool for the Admin* operations.
func (s *Service) adminUser(ctx context.Context, poolID, username string) (store.User, error) {
	_, set, err := s.pool(ctx, poolID)
	if err != nil {
		return store.User{}, err
	}
	return s.user(ctx, poolID, set, username)
}

// AdminConfirmSignUp confirms a user without a code.
func (s *Service) AdminConfirmSignUp(ctx context.Context, poolID, username string) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	if u.Status != "UNCONFIRMED" {
		return ErrNotAuthorized.New("User cannot be confirmed. Current status is %s", u.Status)
	}
	return s.confirm(ctx, u, false)
}

// AdminSetUserEnabled disables or enables a user; a disabled user cannot
// sign in and its tokens stop working.
func (s *Service) AdminSetUserEnabled(ctx context.Context, poolID, username string, enabled bool) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	if !enabled {
		if err := s.st.DeleteUserRefreshTokens(ctx, poolID, u.Key); err != nil {
			return err
		}
	}
	_, err = s.st.UpdateUser(ctx, poolID, u.Key, func(u *store.User) error {
		u.Enabled = enabled
		u.UpdatedAt = s.clock()
		return nil
	})
	return err
}

// AdminResetUserPassword makes the user reset their password: sign-in is
// refused with PasswordResetRequiredException and a reset code is sent.
func (s *Service) AdminResetUserPassword(ctx context.Context, poolID, username string) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	attr := verifiedContact(u)
	if attr == "" {
		return ErrInvalidParameter.New("Cannot reset password for the user as there is no registered/verified email or phone_number")
	}
	if err := s.signOut(ctx, u); err != nil {
		return err
	}
	if u, err = s.st.UpdateUser(ctx, poolID, u.Key, func(u *store.User) error {
		u.Status = "RESET_REQUIRED"
		u.UpdatedAt = s.clock()
		return nil
	}); err != nil {
		return err
	}
	_, err = s.issueCode(ctx, u, codePurposeReset, attr, resetCodeTTL)
	return err
}

// AdminUpdateUserAttributes sets attributes, including the _verified flags.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, poolID, username string, attrs []Attribute) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	_, err = s.updateAttributes(ctx, u, nil, attrs)
	return err
}

// AdminDeleteUserAttributes removes attributes.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, poolID, username string, names []string) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	for _, n := range names {
		if readOnlyAttributes[n] {
			return ErrInvalidParameter.New("Cannot delete the non-mutable attribute %s.", n)
		}
	}
	_, err = s.st.UpdateUser(ctx, poolID, u.Key, func(u *store.User) error {
		for _, n := range names {
			delete(u.Attributes, n)
		}
		u.UpdatedAt = s.clock()
		return nil
	})
	return err
}

// AdminUserGlobalSignOut ends every session of a user.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, poolID, username string) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	return s.signOut(ctx, u)
}
