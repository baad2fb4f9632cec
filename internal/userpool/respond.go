package userpool

import (
	"context"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

// RespondToAuthChallenge answers a challenge of a client-side sign-in:
// PASSWORD_VERIFIER (SRP) or NEW_PASSWORD_REQUIRED.
func (s *Service) RespondToAuthChallenge(ctx context.Context, clientID, name, session string, responses map[string]string) (AuthResult, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return AuthResult{}, err
	}
	return s.respond(ctx, c, name, session, responses)
}

// AdminRespondToAuthChallenge is RespondToAuthChallenge for a server-side
// sign-in, naming the pool.
func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, poolID, clientID, name, session string, responses map[string]string) (AuthResult, error) {
	c, err := s.DescribeUserPoolClient(ctx, poolID, clientID)
	if err != nil {
		return AuthResult{}, err
	}
	return s.respond(ctx, c, name, session, responses)
}

func (s *Service) respond(ctx context.Context, c Client, name, session string, r map[string]string) (AuthResult, error) {
	switch name {
	case "PASSWORD_VERIFIER":
		return s.passwordVerifier(ctx, c, r)
	case "NEW_PASSWORD_REQUIRED":
		return s.newPasswordRequired(ctx, c, session, r)
	case "SOFTWARE_TOKEN_MFA":
		return s.softwareTokenMFA(ctx, c, session, r)
	case "MFA_SETUP":
		return s.mfaSetup(ctx, c, session)
	case "":
		return AuthResult{}, ErrInvalidParameter.New("1 validation error detected: Value null at 'challengeName' failed to satisfy constraint: Member must not be null")
	}
	return AuthResult{}, ErrInvalidParameter.New("%s is not a challenge federa issues; the challenges are PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED and SOFTWARE_TOKEN_MFA.", name)
}

// newPasswordRequired replaces a temporary password, sets the attributes
// the client sends as userAttributes.<name>, and signs the user in.
func (s *Service) newPasswordRequired(ctx context.Context, c Client, session string, r map[string]string) (AuthResult, error) {
	if session == "" {
		return AuthResult{}, ErrInvalidParameter.New("Missing required parameter Session")
	}
	for _, k := range []string{"NEW_PASSWORD", "USERNAME"} {
		if r[k] == "" {
			return AuthResult{}, ErrInvalidParameter.New("Missing required parameter %s", k)
		}
	}
	st, err := s.openState(ctx, session, "NEW_PASSWORD_REQUIRED", c.ID)
	if err != nil {
		return AuthResult{}, err
	}
	if err := checkSecretHash(c, r["USERNAME"], r["SECRET_HASH"]); err != nil {
		return AuthResult{}, err
	}
	_, set, err := s.pool(ctx, st.Pool)
	if err != nil {
		return AuthResult{}, err
	}
	if userKey(set, r["USERNAME"]) != st.UserKey && r["USERNAME"] != st.Username {
		return AuthResult{}, ErrNotAuthorized.New("Invalid session for the user.")
	}
	if err := set.passwordPolicy().check(r["NEW_PASSWORD"]); err != nil {
		return AuthResult{}, err
	}
	attrs := map[string]string{}
	for k, v := range r {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			if readOnlyAttributes[name] || name == "email_verified" || name == "phone_number_verified" {
				return AuthResult{}, ErrInvalidParameter.New("Cannot modify the non-mutable attribute %s.", name)
			}
			attrs[name] = v
		}
	}
	secrets, err := newPasswordSecrets(st.Pool, st.Username, r["NEW_PASSWORD"])
	if err != nil {
		return AuthResult{}, err
	}
	u, err := s.st.UpdateUser(ctx, st.Pool, st.UserKey, func(u *store.User) error {
		if u.Status != "FORCE_CHANGE_PASSWORD" {
			return ErrNotAuthorized.New("Invalid session for the user, the password was already changed.")
		}
		secrets.apply(u)
		for k, v := range attrs {
			u.Attributes[k] = v
		}
		u.Status = "CONFIRMED"
		u.UpdatedAt = s.clock()
		return nil
	})
	if err != nil {
		return AuthResult{}, err
	}
	return s.afterPassword(ctx, c, u, time.Unix(st.AuthTime, 0))
}
