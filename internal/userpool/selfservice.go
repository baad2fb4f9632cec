package userpool

import (
	"context"
	"crypto/hmac"
	"errors"
	"maps"
	"slices"

	"github.com/federa/federa/internal/store"
)

// clientUser resolves the app client and, for the client-side operations
// that name a user, checks SECRET_HASH and finds the user.
func (s *Service) clientUser(ctx context.Context, clientID, username, secretHash string) (Client, PoolSettings, store.User, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return Client{}, PoolSettings{}, store.User{}, err
	}
	if err := checkSecretHash(c, username, secretHash); err != nil {
		return Client{}, PoolSettings{}, store.User{}, err
	}
	_, set, err := s.pool(ctx, c.PoolID)
	if err != nil {
		return Client{}, PoolSettings{}, store.User{}, err
	}
	u, err := s.user(ctx, c.PoolID, set, username)
	return c, set, u, err
}

// hidden reports whether an unknown user must be hidden behind a plausible
// answer (PreventUserExistenceErrors ENABLED, Cognito's default).
func hidden(c Client, err error) bool {
	return ErrUserNotFound.Is(err) && c.Settings.PreventUserExistenceErrors != "LEGACY"
}

// SignUpResult is SignUp's answer.
type SignUpResult struct {
	UserConfirmed bool
	UserSub       string
	Delivery      *CodeDelivery
}

// SignUp registers a user, UNCONFIRMED until the code sent to the first
// auto-verified attribute comes back (ConfirmSignUp) or an administrator
// confirms them.
func (s *Service) SignUp(ctx context.Context, clientID, username, password, secretHash string, attrs []Attribute) (SignUpResult, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return SignUpResult{}, err
	}
	if err := checkSecretHash(c, username, secretHash); err != nil {
		return SignUpResult{}, err
	}
	if password == "" {
		return SignUpResult{}, ErrInvalidParameter.New("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must not be null")
	}
	_, set, err := s.pool(ctx, c.PoolID)
	if err != nil {
		return SignUpResult{}, err
	}
	u, err := s.createUser(ctx, c.PoolID, set, &c, username, attrs, password, "UNCONFIRMED")
	if err != nil {
		return SignUpResult{}, err
	}
	res := SignUpResult{UserSub: u.Sub}
	for _, attr := range set.AutoVerifiedAttributes {
		if u.Attributes[attr] != "" {
			d, err := s.issueCode(ctx, u, "signup", attr, signUpCodeTTL)
			if err != nil {
				return SignUpResult{}, err
			}
			res.Delivery = &d
			break
		}
	}
	return res, nil
}

// ConfirmSignUp confirms a user with the code sent at sign-up, and marks
// the attribute it went to verified.
func (s *Service) ConfirmSignUp(ctx context.Context, clientID, username, code, secretHash string) error {
	c, _, u, err := s.clientUser(ctx, clientID, username, secretHash)
	if hidden(c, err) {
		return ErrCodeMismatch.New("Invalid verification code provided, please try again.")
	}
	if err != nil {
		return err
	}
	if u.Status != "UNCONFIRMED" {
		return ErrNotAuthorized.New("User cannot be confirmed. Current status is %s", u.Status)
	}
	if err := s.checkCode(ctx, u, "signup", code); err != nil {
		return err
	}
	return s.confirm(ctx, u, true)
}

// confirm makes a user CONFIRMED; verified marks the email (else phone)
// the sign-up code went to.
func (s *Service) confirm(ctx context.Context, u store.User, verified bool) error {
	apply := func(u *store.User) {
		u.Status = "CONFIRMED"
		if verified {
			if u.Attributes["email"] != "" {
				u.Attributes["email_verified"] = "true"
			} else if u.Attributes["phone_number"] != "" {
				u.Attributes["phone_number_verified"] = "true"
			}
		}
	}
	if err := s.checkAliasesAfter(ctx, u, apply); err != nil {
		return err
	}
	_, err := s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		apply(u)
		u.UpdatedAt = s.clock()
		return nil
	})
	return err
}

// checkAliasesAfter refuses a change that would give the user an alias
// another user signs in with.
func (s *Service) checkAliasesAfter(ctx context.Context, u store.User, change func(*store.User)) error {
	_, set, err := s.pool(ctx, u.PoolID)
	if err != nil || len(set.AliasAttributes) == 0 {
		return err
	}
	next := u
	next.Attributes = maps.Clone(u.Attributes)
	change(&next)
	return s.claimAliases(ctx, set, next)
}

// ResendConfirmationCode sends an unconfirmed user a new sign-up code.
func (s *Service) ResendConfirmationCode(ctx context.Context, clientID, username, secretHash string) (CodeDelivery, error) {
	c, set, u, err := s.clientUser(ctx, clientID, username, secretHash)
	if hidden(c, err) {
		return CodeDelivery{Destination: mask(username), DeliveryMedium: "EMAIL", AttributeName: "email"}, nil
	}
	if err != nil {
		return CodeDelivery{}, err
	}
	if u.Status != "UNCONFIRMED" {
		return CodeDelivery{}, ErrInvalidParameter.New("User is already confirmed.")
	}
	for _, attr := range append(slices.Clone(set.AutoVerifiedAttributes), "email", "phone_number") {
		if u.Attributes[attr] != "" {
			return s.issueCode(ctx, u, "signup", attr, signUpCodeTTL)
		}
	}
	return CodeDelivery{}, ErrInvalidParameter.New("The user has no email or phone_number to send a code to.")
}

// ForgotPassword sends a reset code to the user's verified email or phone.
func (s *Service) ForgotPassword(ctx context.Context, clientID, username, secretHash string) (CodeDelivery, error) {
	c, _, u, err := s.clientUser(ctx, clientID, username, secretHash)
	if hidden(c, err) {
		return CodeDelivery{Destination: mask(username + "@x"), DeliveryMedium: "EMAIL", AttributeName: "email"}, nil
	}
	if err != nil {
		return CodeDelivery{}, err
	}
	if !u.Enabled {
		return CodeDelivery{}, ErrNotAuthorized.New("User is disabled.")
	}
	attr := verifiedContact(u)
	if attr == "" {
		return CodeDelivery{}, ErrInvalidParameter.New("Cannot reset password for the user as there is no registered/verified email or phone_number")
	}
	return s.issueCode(ctx, u, codePurposeReset, attr, resetCodeTTL)
}

func verifiedContact(u store.User) string {
	for _, a := range []string{"email", "phone_number"} {
		if u.Attributes[a] != "" && u.Attributes[a+"_verified"] == "true" {
			return a
		}
	}
	return ""
}

// ConfirmForgotPassword sets a new password with the reset code.
func (s *Service) ConfirmForgotPassword(ctx context.Context, clientID, username, code, password, secretHash string) error {
	c, set, u, err := s.clientUser(ctx, clientID, username, secretHash)
	if hidden(c, err) {
		return ErrCodeMismatch.New("Invalid verification code provided, please try again.")
	}
	if err != nil {
		return err
	}
	if err := set.passwordPolicy().check(password); err != nil {
		return err
	}
	if err := s.checkCode(ctx, u, codePurposeReset, code); err != nil {
		return err
	}
	return s.setPassword(ctx, u, password, "CONFIRMED")
}

// setPassword stores a new password and status, and signs the user out of
// every session: a password change ends the old ones.
func (s *Service) setPassword(ctx context.Context, u store.User, password, status string) error {
	secrets, err := newPasswordSecrets(u.PoolID, u.Username, password)
	if err != nil {
		return err
	}
	_, err = s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		secrets.apply(u)
		if status != "" {
			u.Status = status
		}
		u.UpdatedAt = s.clock()
		return nil
	})
	return err
}

// ChangePassword changes the signed-in user's password.
func (s *Service) ChangePassword(ctx context.Context, accessToken, previous, proposed string) error {
	u, err := s.accessTokenUser(ctx, accessToken)
	if err != nil {
		return err
	}
	_, set, err := s.pool(ctx, u.PoolID)
	if err != nil {
		return err
	}
	if !checkPassword(u.PasswordHash, previous) {
		return ErrNotAuthorized.New("Incorrect username or password.")
	}
	if err := set.passwordPolicy().check(proposed); err != nil {
		return err
	}
	return s.setPassword(ctx, u, proposed, "")
}

// UpdateUserAttributes changes the signed-in user's attributes. A changed
// email or phone number becomes unverified and, when the pool auto-verifies
// it, gets a code.
func (s *Service) UpdateUserAttributes(ctx context.Context, accessToken string, attrs []Attribute) ([]CodeDelivery, error) {
	u, c, err := s.accessTokenSession(ctx, accessToken)
	if err != nil {
		return nil, err
	}
	return s.updateAttributes(ctx, u, c, attrs)
}

// updateAttributes applies attribute changes, checked against the schema
// and, for a client (c non-nil), its WriteAttributes; an administrator (c
// nil) may also set the _verified flags.
func (s *Service) updateAttributes(ctx context.Context, u store.User, c *Client, attrs []Attribute) ([]CodeDelivery, error) {
	admin := c == nil
	_, set, err := s.pool(ctx, u.PoolID)
	if err != nil {
		return nil, err
	}
	changed := map[string]bool{}
	for _, a := range attrs {
		if readOnlyAttributes[a.Name] || a.Name == "" {
			return nil, ErrInvalidParameter.New("Cannot modify the non-mutable attribute %s.", a.Name)
		}
		if !admin && (a.Name == "email_verified" || a.Name == "phone_number_verified") {
			return nil, ErrInvalidParameter.New("%s can be set only by an administrator (AdminUpdateUserAttributes).", a.Name)
		}
	}
	if err := set.checkAttributes(c, attrs, false); err != nil {
		return nil, err
	}
	if err := s.checkAliasesAfter(ctx, u, func(u *store.User) {
		for _, a := range attrs {
			u.Attributes[a.Name] = a.Value
		}
	}); err != nil {
		return nil, err
	}
	u, err = s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		for _, a := range attrs {
			if (a.Name == "email" || a.Name == "phone_number") && u.Attributes[a.Name] != a.Value {
				changed[a.Name] = true
				if !admin || !hasAttr(attrs, a.Name+"_verified") {
					u.Attributes[a.Name+"_verified"] = "false"
				}
			}
			u.Attributes[a.Name] = a.Value
		}
		u.UpdatedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []CodeDelivery
	for _, attr := range set.AutoVerifiedAttributes {
		if changed[attr] && u.Attributes[attr+"_verified"] != "true" {
			d, err := s.issueCode(ctx, u, "verify:"+attr, attr, verifyCodeTTL)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
	}
	return out, nil
}

func hasAttr(attrs []Attribute, name string) bool {
	return slices.ContainsFunc(attrs, func(a Attribute) bool { return a.Name == name })
}

// GetUserAttributeVerificationCode sends a code to verify email or phone.
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, accessToken, attr string) (CodeDelivery, error) {
	u, err := s.accessTokenUser(ctx, accessToken)
	if err != nil {
		return CodeDelivery{}, err
	}
	if attr != "email" && attr != "phone_number" {
		return CodeDelivery{}, ErrInvalidParameter.New("Only email and phone_number can be verified, not %s.", attr)
	}
	if u.Attributes[attr] == "" {
		return CodeDelivery{}, ErrInvalidParameter.New("The user has no %s to verify.", attr)
	}
	return s.issueCode(ctx, u, "verify:"+attr, attr, verifyCodeTTL)
}

// VerifyUserAttribute marks email or phone verified with the code sent.
func (s *Service) VerifyUserAttribute(ctx context.Context, accessToken, attr, code string) error {
	u, err := s.accessTokenUser(ctx, accessToken)
	if err != nil {
		return err
	}
	if err := s.checkAliasesAfter(ctx, u, func(u *store.User) { u.Attributes[attr+"_verified"] = "true" }); err != nil {
		return err
	}
	if err := s.checkCode(ctx, u, "verify:"+attr, code); err != nil {
		return err
	}
	_, err = s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		u.Attributes[attr+"_verified"] = "true"
		u.UpdatedAt = s.clock()
		return nil
	})
	return err
}

// DeleteUser deletes the signed-in user.
func (s *Service) DeleteUser(ctx context.Context, accessToken string) error {
	u, err := s.accessTokenUser(ctx, accessToken)
	if err != nil {
		return err
	}
	return s.st.DeleteUser(ctx, u.PoolID, u.Key)
}

// GlobalSignOut ends every session of the signed-in user: refresh tokens
// are deleted and access tokens issued so far stop working.
func (s *Service) GlobalSignOut(ctx context.Context, accessToken string) error {
	u, err := s.accessTokenUser(ctx, accessToken)
	if err != nil {
		return err
	}
	return s.signOut(ctx, u)
}

func (s *Service) signOut(ctx context.Context, u store.User) error {
	if err := s.st.DeleteUserRefreshTokens(ctx, u.PoolID, u.Key); err != nil {
		return err
	}
	_, err := s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		sp := readSpec(*u)
		// Tokens issued within the second of an earlier sign-out carry
		// iat = SignedOutAt+1, so a second sign-out must reach past them.
		sp.SignedOutAt = max(s.clock().Unix(), sp.SignedOutAt+1)
		writeSpec(u, sp)
		return nil
	})
	return err
}

// RevokeToken revokes one refresh token of a client.
func (s *Service) RevokeToken(ctx context.Context, clientID, clientSecret, token string) error {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return err
	}
	if c.Settings.ClientSecret != "" && !hmac.Equal([]byte(c.Settings.ClientSecret), []byte(clientSecret)) {
		return ErrNotAuthorized.New("Client secret does not match the client.")
	}
	rt, err := s.st.GetRefreshToken(ctx, hashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil // Cognito answers success for tokens it does not know
	}
	if err != nil {
		return err
	}
	if rt.ClientID != c.ID {
		return ErrUnauthorizedClient.New("The refresh token was not issued to this client.")
	}
	if err := s.revokeGrant(ctx, c, rt); err != nil {
		return err
	}
	return s.st.DeleteRefreshToken(ctx, rt.Hash)
}

// maxRevoked bounds a user's list of revoked grants; past it, revoking
// signs the user out everywhere instead, which revokes more, never less.
const maxRevoked = 200

// revokeGrant makes the access tokens issued with or refreshed from rt stop
// working, as Cognito's RevokeToken does: their origin_jti is remembered on
// the user until the last of them would have expired anyway.
func (s *Service) revokeGrant(ctx context.Context, c Client, rt store.RefreshToken) error {
	now := s.clock()
	until := now.Add(c.Settings.accessTokenTTL()).Unix() + 1
	_, err := s.st.UpdateUser(ctx, rt.PoolID, rt.UserKey, func(u *store.User) error {
		sp := readSpec(*u)
		for jti, exp := range sp.Revoked {
			if exp < now.Unix() {
				delete(sp.Revoked, jti)
			}
		}
		switch {
		case rt.OriginJTI == "" || len(sp.Revoked) >= maxRevoked:
			// A token from before origin tracking, or too many: revoke all.
			sp.SignedOutAt = now.Unix()
		default:
			if sp.Revoked == nil {
				sp.Revoked = map[string]int64{}
			}
			sp.Revoked[rt.OriginJTI] = until
		}
		writeSpec(u, sp)
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil // the user is gone, and its tokens with it
	}
	return err
}
