package identitypool

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"time"

	"github.com/federa/federa/internal/store"
)

// cognitoProvider is the login name under which a developer-authenticated
// identity presents its OpenID token to GetCredentialsForIdentity.
const cognitoProvider = "cognito-identity.amazonaws.com"

var developerNamePattern = regexp.MustCompile(`^[\w._-]{1,128}$`)

// developerLogin is how a developer user is linked to an identity.
func developerLogin(provider, user string) store.Login {
	return store.Login{Provider: provider, Subject: user}
}

// GetOpenIdTokenForDeveloperIdentity is called by the app's back end, with
// developer credentials, after it authenticated a user itself: it finds or
// creates the identity of the developer user (linking it to identityID when
// given, and linking the other logins given) and returns an OpenID token
// for it, which the app passes on to GetCredentialsForIdentity or STS.
func (s *Service) GetOpenIdTokenForDeveloperIdentity(ctx context.Context, poolID, identityID string, logins map[string]string, duration time.Duration) (string, string, error) {
	sp, err := s.pool(ctx, poolID)
	if err != nil {
		return "", "", err
	}
	dev := sp.Settings.DeveloperProviderName
	if dev == "" {
		return "", "", ErrInvalidParameter.New("The identity pool has no DeveloperProviderName: set one with UpdateIdentityPool first.")
	}
	user, ok := logins[dev]
	if !ok || user == "" || len(user) > 1024 {
		return "", "", ErrInvalidParameter.New("Logins must map the pool's developer provider %s to the developer user identifier.", dev)
	}
	if duration == 0 {
		duration = 15 * time.Minute
	}
	if duration < time.Second || duration > 24*time.Hour {
		return "", "", ErrInvalidParameter.New("1 validation error detected: Value at 'tokenDuration' failed to satisfy constraint: Member must have value between 1 and 86400")
	}
	others := map[string]string{}
	for k, v := range logins {
		if k != dev {
			others[k] = v
		}
	}
	verified, err := s.verifyLogins(ctx, poolID, sp, others)
	if err != nil {
		return "", "", err
	}
	want := append([]store.Login{developerLogin(dev, user)}, loginsOf(verified)...)
	id, err := s.identityFor(ctx, poolID, identityID, want)
	if err != nil {
		return "", "", err
	}
	tok, err := s.openIDToken(ctx, id, poolID, []string{"authenticated", cognitoProvider, cognitoProvider + ":" + poolID + ":" + dev}, duration)
	return id, tok, err
}

func loginsOf(v []verifiedLogin) []store.Login {
	out := make([]store.Login, 0, len(v))
	for _, l := range v {
		out = append(out, l.Login)
	}
	return out
}

// identityFor finds the identity that holds any of the logins (or is
// identityID) and links the rest to it, creating an identity when none
// exists. Logins of two different identities are a conflict.
func (s *Service) identityFor(ctx context.Context, poolID, identityID string, logins []store.Login) (string, error) {
	found := identityID
	if identityID != "" {
		ident, err := s.identity(ctx, identityID)
		if err != nil {
			return "", err
		}
		if ident.PoolID != poolID {
			return "", ErrInvalidParameter.New("Identity %s is not in identity pool %s.", identityID, poolID)
		}
	}
	for _, l := range logins {
		ident, err := s.st.FindIdentityByLogin(ctx, poolID, l)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return "", err
		}
		if found != "" && found != ident.ID {
			return "", ErrResourceConflict.New("The login %s is already linked to another identity.", l.Provider)
		}
		found = ident.ID
	}
	if found == "" {
		return s.createIdentity(ctx, poolID, logins)
	}
	if _, err := s.st.LinkLogins(ctx, found, logins, s.clock()); err != nil {
		if errors.Is(err, store.ErrExists) {
			return "", ErrResourceConflict.New("A login is already linked to another identity.")
		}
		return "", err
	}
	return found, nil
}

// LookupDeveloperIdentity finds an identity by its developer user, or a
// developer user's identity: give the identity id, the developer user
// identifier, or both.
func (s *Service) LookupDeveloperIdentity(ctx context.Context, poolID, identityID, user string) (string, []string, error) {
	sp, err := s.pool(ctx, poolID)
	if err != nil {
		return "", nil, err
	}
	dev := sp.Settings.DeveloperProviderName
	if identityID == "" && user == "" {
		return "", nil, ErrInvalidParameter.New("Give IdentityId, DeveloperUserIdentifier, or both.")
	}
	var ident store.Identity
	if user != "" {
		ident, err = s.st.FindIdentityByLogin(ctx, poolID, developerLogin(dev, user))
		if errors.Is(err, store.ErrNotFound) {
			return "", nil, ErrResourceNotFound.New("Developer user %s not found.", user)
		}
		if err != nil {
			return "", nil, err
		}
		if identityID != "" && ident.ID != identityID {
			return "", nil, ErrResourceNotFound.New("Developer user %s is not linked to identity %s.", user, identityID)
		}
	} else if ident, err = s.identity(ctx, identityID); err != nil {
		return "", nil, err
	}
	users := []string{}
	for _, l := range ident.Logins {
		if l.Provider == dev {
			users = append(users, l.Subject)
		}
	}
	return ident.ID, users, nil
}

// MergeDeveloperIdentities moves the source developer user's logins to the
// destination user's identity and deletes the source identity.
func (s *Service) MergeDeveloperIdentities(ctx context.Context, poolID, provider, source, destination string) (string, error) {
	sp, err := s.pool(ctx, poolID)
	if err != nil {
		return "", err
	}
	if provider != sp.Settings.DeveloperProviderName || provider == "" {
		return "", ErrInvalidParameter.New("DeveloperProviderName %s is not this pool's developer provider.", provider)
	}
	src, err := s.st.FindIdentityByLogin(ctx, poolID, developerLogin(provider, source))
	if err != nil {
		return "", ErrResourceNotFound.New("Developer user %s not found.", source)
	}
	dst, err := s.st.FindIdentityByLogin(ctx, poolID, developerLogin(provider, destination))
	if err != nil {
		return "", ErrResourceNotFound.New("Developer user %s not found.", destination)
	}
	if src.ID == dst.ID {
		return dst.ID, nil
	}
	moved := slices.Clone(src.Logins)
	if _, err := s.st.UnlinkLogins(ctx, src.ID, moved, s.clock()); err != nil {
		return "", err
	}
	if _, err := s.st.LinkLogins(ctx, dst.ID, moved, s.clock()); err != nil {
		return "", err
	}
	if err := s.st.DeleteIdentity(ctx, src.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	return dst.ID, nil
}

// UnlinkDeveloperIdentity removes a developer user from an identity.
func (s *Service) UnlinkDeveloperIdentity(ctx context.Context, poolID, identityID, provider, user string) error {
	sp, err := s.pool(ctx, poolID)
	if err != nil {
		return err
	}
	if provider != sp.Settings.DeveloperProviderName || provider == "" {
		return ErrInvalidParameter.New("DeveloperProviderName %s is not this pool's developer provider.", provider)
	}
	ident, err := s.identity(ctx, identityID)
	if err != nil {
		return err
	}
	l := developerLogin(provider, user)
	if !slices.Contains(ident.Logins, l) {
		return ErrResourceNotFound.New("Developer user %s is not linked to identity %s.", user, identityID)
	}
	_, err = s.st.UnlinkLogins(ctx, identityID, []store.Login{l}, s.clock())
	return err
}
