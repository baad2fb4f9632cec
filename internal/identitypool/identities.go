package identitypool

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/federa/federa/internal/store"
	"github.com/google/uuid"
)

// maxLogins is the most logins one request may carry, as in Cognito.
const maxLogins = 10

// verifiedLogin is a login whose token has been checked.
type verifiedLogin struct {
	store.Login
	poolID string // the user pool
	// mappingKey names the login's provider in RoleMappings
	// (<provider>:<client id> for a user pool).
	mappingKey string
	claims     map[string]any
	// identityID is set for an identity pool's own OpenID token, which
	// proves the identity it names rather than being linked to it.
	identityID string
}

// verifyLogins checks every login token against the pool's configured
// providers: the provider must be configured, the token valid for its user
// pool, and its audience one of the configured client ids.
func (s *Service) verifyLogins(ctx context.Context, poolID string, sp spec, logins map[string]string) ([]verifiedLogin, error) {
	if len(logins) > maxLogins {
		return nil, ErrInvalidParameter.New("1 validation error detected: Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to %d", maxLogins)
	}
	names := make([]string, 0, len(logins))
	for name := range logins {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]verifiedLogin, 0, len(logins))
	for _, name := range names {
		token := logins[name]
		if name == cognitoProvider {
			// A developer-authenticated identity's OpenID token
			// (GetOpenIdTokenForDeveloperIdentity): it names its identity.
			tok, err := s.VerifyOpenIdToken(ctx, token)
			if err != nil {
				return nil, ErrNotAuthorized.New("Invalid login token. %s", messageOf(err))
			}
			if tok.PoolID != poolID || !slices.Contains(tok.Amr, "authenticated") {
				return nil, ErrNotAuthorized.New("Invalid login token. The token is for another identity pool, or unauthenticated.")
			}
			out = append(out, verifiedLogin{Login: store.Login{Provider: name, Subject: tok.IdentityID}, identityID: tok.IdentityID, mappingKey: name})
			continue
		}
		if arn := oidcARNFor(sp.Settings, name); arn != "" {
			tok, err := s.oidc.VerifyOIDCLogin(ctx, arn, token)
			if err != nil {
				return nil, err
			}
			out = append(out, verifiedLogin{Login: store.Login{Provider: name, Subject: tok.Subject}, mappingKey: name, claims: tok.Claims})
			continue
		}
		name = s.canonicalProvider(name)
		var clients []string
		for _, p := range sp.Settings.CognitoIdentityProviders {
			if p.ProviderName == name {
				clients = append(clients, p.ClientID)
			}
		}
		if len(clients) == 0 {
			return nil, ErrNotAuthorized.New("Invalid login token. Provider %s is not configured for this identity pool.", name)
		}
		m := providerNamePattern.FindStringSubmatch(name)
		if m == nil {
			return nil, ErrNotAuthorized.New("Invalid login token. Unknown provider %s.", name)
		}
		tok, err := s.tokens.VerifyIDToken(ctx, m[2], token)
		if err != nil {
			if ErrNotAuthorized.Is(err) {
				return nil, ErrNotAuthorized.New("%s", messageOf(err)) // userpool says "Invalid login token. …"
			}
			return nil, err
		}
		if !slices.Contains(clients, tok.Audience) {
			return nil, ErrNotAuthorized.New("Invalid login token. Incorrect audience.")
		}
		out = append(out, verifiedLogin{Login: store.Login{Provider: name, Subject: tok.Subject}, poolID: m[2],
			mappingKey: name + ":" + tok.Audience, claims: tok.Claims})
	}
	return out, nil
}

// GetId returns the identity of the given logins in the pool, creating it on
// first use. With no logins it creates a guest identity, if the pool allows
// unauthenticated identities.
func (s *Service) GetId(ctx context.Context, poolID, accountID string, logins map[string]string) (string, error) {
	if accountID != "" && accountID != s.account {
		return "", ErrNotAuthorized.New("The AccountId %s does not own identity pool %s.", accountID, poolID)
	}
	sp, err := s.pool(ctx, poolID)
	if err != nil {
		return "", err
	}
	if len(logins) == 0 {
		if !sp.Settings.AllowUnauthenticatedIdentities {
			return "", ErrNotAuthorized.New("Unauthenticated access is not supported for this identity pool.")
		}
		return s.createIdentity(ctx, poolID, nil)
	}
	verified, err := s.verifyLogins(ctx, poolID, sp, logins)
	if err != nil {
		return "", err
	}
	var found string
	var linkable []verifiedLogin
	for _, l := range verified {
		if l.identityID != "" {
			if found != "" && found != l.identityID {
				return "", ErrResourceConflict.New("The logins belong to different identities.")
			}
			found = l.identityID
			continue
		}
		linkable = append(linkable, l)
		id, err := s.st.FindIdentityByLogin(ctx, poolID, l.Login)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return "", err
		}
		if found != "" && found != id.ID {
			return "", ErrResourceConflict.New("The logins belong to different identities.")
		}
		found = id.ID
	}
	if found != "" {
		ident, err := s.st.GetIdentity(ctx, found)
		if err != nil {
			return "", err
		}
		linked, err := s.linkFresh(ctx, ident, verified)
		if err != nil {
			return "", ErrResourceConflict.New("A login is linked to another identity.")
		}
		return found, s.touch(ctx, linked)
	}
	ls := loginsOf(linkable)
	id, err := s.createIdentity(ctx, poolID, ls)
	if errors.Is(err, store.ErrExists) {
		// A concurrent GetId linked the login first: that identity wins.
		got, ferr := s.st.FindIdentityByLogin(ctx, poolID, ls[0])
		if ferr != nil {
			return "", ferr
		}
		return got.ID, nil
	}
	return id, err
}

func (s *Service) createIdentity(ctx context.Context, poolID string, logins []store.Login) (string, error) {
	now := s.clock()
	id := store.Identity{ID: s.region + ":" + uuid.NewString(), PoolID: poolID, Logins: logins, CreatedAt: now, UpdatedAt: now}
	if err := s.st.CreateIdentity(ctx, id); err != nil {
		return "", err
	}
	return id.ID, nil
}

// CredentialsForIdentity are GetCredentialsForIdentity's result.
type CredentialsForIdentity struct {
	IdentityID  string
	Credentials Credentials
}

// GetCredentialsForIdentity returns credentials of the pool's role for an
// identity. An authenticated identity must present a valid login token that
// belongs to it; a guest identity gets the unauthenticated role.
func (s *Service) GetCredentialsForIdentity(ctx context.Context, identityID string, logins map[string]string, customRoleARN string) (CredentialsForIdentity, error) {
	if err := checkPoolID(identityID); err != nil {
		return CredentialsForIdentity{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'identityId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+", identityID)
	}
	ident, err := s.st.GetIdentity(ctx, identityID)
	if errors.Is(err, store.ErrNotFound) {
		return CredentialsForIdentity{}, ErrResourceNotFound.New("Identity '%s' not found.", identityID)
	}
	if err != nil {
		return CredentialsForIdentity{}, err
	}
	sp, err := s.pool(ctx, ident.PoolID)
	if err != nil {
		return CredentialsForIdentity{}, err
	}
	req := IssueRequest{SessionName: "CognitoIdentityCredentials", Provider: "cognito-identity.amazonaws.com",
		Context: map[string][]string{
			"cognito-identity.amazonaws.com:aud": {ident.PoolID},
			"cognito-identity.amazonaws.com:sub": {identityID},
		}}
	verified, amr, err := s.authenticate(ctx, &ident, sp, logins)
	if err != nil {
		return CredentialsForIdentity{}, err
	}
	req.Context["cognito-identity.amazonaws.com:amr"] = amr
	if len(verified) > 0 {
		if req.RoleARN, err = chooseRole(sp.Roles, verified, customRoleARN); err != nil {
			return CredentialsForIdentity{}, err
		}
		req.Tags = sessionTags(sp.PrincipalTags, verified)
	} else {
		if customRoleARN != "" {
			return CredentialsForIdentity{}, ErrInvalidParameter.New("CustomRoleArn applies to authenticated identities only.")
		}
		req.RoleARN = sp.Roles.Roles["unauthenticated"]
	}
	if req.RoleARN == "" {
		return CredentialsForIdentity{}, ErrInvalidPoolConfig.New("Invalid identity pool configuration. Check assigned IAM roles for this pool.")
	}
	creds, err := s.creds.IssueWebIdentity(ctx, req)
	if err != nil {
		if errAccessDenied.Is(err) || errValidation.Is(err) {
			return CredentialsForIdentity{}, ErrInvalidPoolConfig.New("Invalid identity pool configuration. Check assigned IAM roles for this pool.")
		}
		return CredentialsForIdentity{}, err
	}
	_ = s.touch(ctx, ident)
	return CredentialsForIdentity{IdentityID: identityID, Credentials: creds}, nil
}

// touchInterval is how stale an identity's LastModifiedDate may get while
// it is in use. Recording every GetId and GetCredentialsForIdentity would
// make each a durable write (an fsync) on the hottest path federa has, for
// a date nobody reads to the second; once a minute keeps it current.
const touchInterval = time.Minute

// touch records that the identity was used, unless it was recorded within
// touchInterval.
func (s *Service) touch(ctx context.Context, ident store.Identity) error {
	now := s.clock()
	if d := now.Sub(ident.UpdatedAt); d >= 0 && d < touchInterval {
		return nil
	}
	return s.st.TouchIdentity(ctx, ident.ID, now)
}

// chooseRole picks an authenticated identity's role: CustomRoleArn when a
// token-mapped login grants it, else the first role mapping that decides,
// else the pool's authenticated role.
func chooseRole(roles Roles, logins []verifiedLogin, customRoleARN string) (string, error) {
	mappings := map[string]RoleMapping{}
	for k, raw := range roles.RoleMappings {
		var m RoleMapping
		if json.Unmarshal(raw, &m) == nil {
			mappings[k] = m
		}
	}
	if customRoleARN != "" {
		for _, l := range logins {
			if m, ok := mappings[l.mappingKey]; ok && m.Type == "Token" && slices.Contains(claimStrings(l.claims["cognito:roles"]), customRoleARN) {
				return customRoleARN, nil
			}
		}
		return "", ErrNotAuthorized.New("CustomRoleArn %s is not one of the roles the login token grants (cognito:roles), or its provider has no Token role mapping.", customRoleARN)
	}
	for _, l := range logins {
		m, ok := mappings[l.mappingKey]
		if !ok {
			continue
		}
		if role, decided := m.mappedRole(l.claims); decided {
			return role, nil
		}
		if m.AmbiguousRoleResolution == "Deny" {
			return "", ErrNotAuthorized.New("The role mapping for %s found no role for this login and its AmbiguousRoleResolution is Deny.", l.Provider)
		}
	}
	return roles.Roles["authenticated"], nil
}

// linkFresh checks that verified logins may act for the identity and links
// those it does not have yet. At least one must already be the identity's,
// unless it is a guest identity, which the logins then make authenticated;
// a login of another identity is refused, never moved.
func (s *Service) linkFresh(ctx context.Context, ident store.Identity, verified []verifiedLogin) (store.Identity, error) {
	mismatch := ErrNotAuthorized.New("Logins don't match. Please include at least one valid login for this identity or identity pool.")
	owned := 0
	var fresh []store.Login
	for _, l := range verified {
		if l.identityID != "" {
			if l.identityID != ident.ID {
				return ident, mismatch
			}
			owned++
			continue
		}
		if slices.Contains(ident.Logins, l.Login) {
			owned++
			continue
		}
		other, err := s.st.FindIdentityByLogin(ctx, ident.PoolID, l.Login)
		if err == nil && other.ID != ident.ID {
			return ident, mismatch
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return ident, err
		}
		fresh = append(fresh, l.Login)
	}
	if owned == 0 && len(ident.Logins) > 0 {
		return ident, mismatch
	}
	if len(fresh) == 0 {
		return ident, nil
	}
	linked, err := s.st.LinkLogins(ctx, ident.ID, fresh, s.clock())
	if errors.Is(err, store.ErrExists) {
		return ident, mismatch // linked elsewhere meanwhile
	}
	return linked, err
}

// authenticate proves the caller may act for the identity: logins that
// belong to it (new ones are linked), or none for a guest identity of a
// pool that allows guests. It returns the verified logins and the amr
// values Cognito puts in the session and token.
func (s *Service) authenticate(ctx context.Context, ident *store.Identity, sp spec, logins map[string]string) ([]verifiedLogin, []string, error) {
	switch {
	case len(logins) > 0:
		verified, err := s.verifyLogins(ctx, ident.PoolID, sp, logins)
		if err != nil {
			return nil, nil, err
		}
		if *ident, err = s.linkFresh(ctx, *ident, verified); err != nil {
			return nil, nil, err
		}
		amr := []string{"authenticated"}
		for _, l := range verified {
			amr = append(amr, l.Provider)
			if l.poolID != "" { // a user pool login says how it signed in
				amr = append(amr, l.Provider+":CognitoSignIn:"+l.Subject)
			}
		}
		return verified, amr, nil
	case len(ident.Logins) > 0:
		return nil, nil, ErrNotAuthorized.New("Access to Identity '%s' is forbidden.", ident.ID)
	case !sp.Settings.AllowUnauthenticatedIdentities:
		return nil, nil, ErrNotAuthorized.New("Unauthenticated access is not supported for this identity pool.")
	}
	return nil, []string{"unauthenticated"}, nil
}

// oidcARNFor is the ARN of the pool's OIDC provider a login names (the
// provider's host/path), or "".
func oidcARNFor(set Settings, name string) string {
	for _, arn := range set.OpenIDConnectProviderARNs {
		if oidcProviderName(arn) == name {
			return arn
		}
	}
	return ""
}
