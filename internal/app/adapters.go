package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/identitypool"
	"github.com/federa/federa/internal/identitypool/identitypoolapi"
	"github.com/federa/federa/internal/jwtkeys"
	"github.com/federa/federa/internal/oidc"
	"github.com/federa/federa/internal/sts"
	"github.com/federa/federa/internal/userpool"
)

// tokenVerifier lets identity pools verify user pool ID tokens without
// importing the user pool service.
type tokenVerifier struct{ up *userpool.Service }

func (t tokenVerifier) VerifyIDToken(ctx context.Context, poolID, token string) (identitypool.VerifiedToken, error) {
	tok, err := t.up.VerifyIDToken(ctx, poolID, token)
	if err != nil {
		return identitypool.VerifiedToken{}, err
	}
	return identitypool.VerifiedToken{Subject: tok.Subject, Audience: tok.Audience, Issuer: tok.Issuer, Claims: tok.Claims}, nil
}

// credentialIssuer lets identity pools obtain role sessions from sts.
type credentialIssuer struct{ sts *sts.Service }

func (c credentialIssuer) IssueWebIdentity(ctx context.Context, req identitypool.IssueRequest) (identitypool.Credentials, error) {
	creds, _, err := c.sts.IssueWebIdentity(ctx, sts.WebIdentityRequest{
		RoleARN: req.RoleARN, SessionName: req.SessionName, Provider: req.Provider, Context: req.Context, Tags: req.Tags,
	})
	if err != nil {
		return identitypool.Credentials{}, err
	}
	return identitypool.Credentials{AccessKeyID: creds.AccessKeyID, SecretKey: creds.SecretAccessKey,
		SessionToken: creds.SessionToken, Expiration: creds.Expiration}, nil
}

// wellKnown sends the identity pools' discovery paths to their handler and
// the user pools' to theirs.
func wellKnown(userPools, identityPools http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, identitypoolapi.WellKnownPrefix) {
			identityPools.ServeHTTP(w, r)
			return
		}
		userPools.ServeHTTP(w, r)
	})
}

// webIdentity verifies AssumeRoleWithWebIdentity's tokens for STS: the
// identity pools' OpenID tokens, and tokens of IAM OIDC providers.
type webIdentity struct {
	ip   *identitypool.Service
	oidc oidcLogins
}

func (v webIdentity) VerifyWebIdentity(ctx context.Context, token string) (sts.WebIdentity, error) {
	var c struct {
		Iss string `json:"iss"`
	}
	if jwtkeys.Peek(token, &c) != nil {
		return sts.WebIdentity{}, sts.ErrInvalidIdentityToken.New("The web identity token is not a JWT.")
	}
	if c.Iss != v.ip.Issuer() {
		return v.oidc.webIdentity(ctx, c.Iss, token)
	}
	tok, err := v.ip.VerifyOpenIdToken(ctx, token)
	if identitypool.IsExpired(err) {
		return sts.WebIdentity{}, sts.ErrExpiredToken.New("Token is expired")
	}
	if identitypool.ErrNotAuthorized.Is(err) {
		return sts.WebIdentity{}, sts.ErrInvalidIdentityToken.New("%s", err.Error())
	}
	if err != nil {
		return sts.WebIdentity{}, err
	}
	const p = "cognito-identity.amazonaws.com"
	return sts.WebIdentity{Provider: p, Issuer: p, Subject: tok.IdentityID, Audience: tok.PoolID, Context: map[string][]string{
		p + ":aud": {tok.PoolID}, p + ":sub": {tok.IdentityID}, p + ":amr": tok.Amr,
	}}, nil
}

// managedPolicies lets STS resolve session PolicyArns through IAM.
type managedPolicies struct{ iam *iam.Service }

func (m managedPolicies) PolicyDocument(ctx context.Context, arn string) (string, error) {
	p, err := m.iam.GetPolicy(ctx, arn)
	return p.Document, err
}

// oidcLogins verifies tokens of the IAM OpenID Connect providers, for
// identity pools (identitypool.OIDCVerifier) and for STS.
type oidcLogins struct {
	iam *iam.Service
	v   *oidc.Verifier
}

func (o oidcLogins) OIDCProviderExists(ctx context.Context, arn string) bool {
	_, err := o.iam.GetOpenIDConnectProvider(ctx, arn)
	return err == nil
}

// verify checks a token against a registered provider: its keys, its URL
// as issuer, one of its client ids as audience.
func (o oidcLogins) verify(ctx context.Context, p iam.OIDCProvider, token string) (oidc.Claims, error) {
	return o.v.Verify(ctx, p.URL, token, p.ClientIDs)
}

func (o oidcLogins) VerifyOIDCLogin(ctx context.Context, arn, token string) (identitypool.VerifiedToken, error) {
	p, err := o.iam.GetOpenIDConnectProvider(ctx, arn)
	if err != nil {
		return identitypool.VerifiedToken{}, identitypool.ErrNotAuthorized.New("Invalid login token. The OpenID Connect provider %s is no longer registered.", arn)
	}
	c, err := o.verify(ctx, p, token)
	if errors.Is(err, oidc.ErrExpired) {
		return identitypool.VerifiedToken{}, identitypool.ErrNotAuthorized.New("Invalid login token. Token expired.")
	}
	if errors.Is(err, oidc.ErrInvalid) {
		return identitypool.VerifiedToken{}, identitypool.ErrNotAuthorized.New("Invalid login token. %s", err.Error())
	}
	if err != nil {
		return identitypool.VerifiedToken{}, identitypool.ErrNotAuthorized.New("Invalid login token. The provider's keys could not be fetched: %v", err)
	}
	return identitypool.VerifiedToken{Subject: c.String("sub"), Issuer: c.String("iss"), Claims: c}, nil
}

// webIdentity verifies an OIDC provider's token for STS: the trust policy
// names the provider's ARN as Principal.Federated and reads
// <host/path>:aud and :sub.
func (o oidcLogins) webIdentity(ctx context.Context, iss, token string) (sts.WebIdentity, error) {
	p, err := o.iam.OIDCProviderByIssuer(ctx, iss)
	if err != nil {
		return sts.WebIdentity{}, sts.ErrInvalidIdentityToken.New("No OpenIDConnect provider found in your account for %s", iss)
	}
	c, err := o.verify(ctx, p, token)
	if errors.Is(err, oidc.ErrExpired) {
		return sts.WebIdentity{}, sts.ErrExpiredToken.New("Token is expired")
	}
	if errors.Is(err, oidc.ErrInvalid) {
		return sts.WebIdentity{}, sts.ErrInvalidIdentityToken.New("%s", err.Error())
	}
	if err != nil {
		return sts.WebIdentity{}, sts.ErrIDPCommunication.New("Couldn't retrieve verification key from your identity provider: %v", err)
	}
	name := strings.TrimPrefix(p.ARN[strings.Index(p.ARN, ":oidc-provider/"):], ":oidc-provider/")
	aud := ""
	for _, a := range c.Audiences() {
		if slices.Contains(p.ClientIDs, a) {
			aud = a
			break
		}
	}
	return sts.WebIdentity{Provider: p.ARN, Issuer: iss, Subject: c.String("sub"), Audience: aud, Context: map[string][]string{
		name + ":aud": {aud}, name + ":sub": {c.String("sub")},
	}}, nil
}
