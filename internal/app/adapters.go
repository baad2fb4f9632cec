package app

import (
	"context"
	"net/http"
	"strings"

	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/identitypool"
	"github.com/federa/federa/internal/identitypool/identitypoolapi"
	"github.com/federa/federa/internal/jwtkeys"
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
// identity pools' OpenID tokens (registered OIDC providers come next).
type webIdentity struct{ ip *identitypool.Service }

func (v webIdentity) VerifyWebIdentity(ctx context.Context, token string) (sts.WebIdentity, error) {
	var c struct {
		Iss string `json:"iss"`
	}
	if jwtkeys.Peek(token, &c) != nil {
		return sts.WebIdentity{}, sts.ErrInvalidIdentityToken.New("The web identity token is not a JWT.")
	}
	if c.Iss != v.ip.Issuer() {
		return sts.WebIdentity{}, sts.ErrInvalidIdentityToken.New("No OpenIDConnect provider found in your account for %s", c.Iss)
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
	return sts.WebIdentity{Provider: p, Subject: tok.IdentityID, Audience: tok.PoolID, Context: map[string][]string{
		p + ":aud": {tok.PoolID}, p + ":sub": {tok.IdentityID}, p + ":amr": tok.Amr,
	}}, nil
}

// managedPolicies lets STS resolve session PolicyArns through IAM.
type managedPolicies struct{ iam *iam.Service }

func (m managedPolicies) PolicyDocument(ctx context.Context, arn string) (string, error) {
	p, err := m.iam.GetPolicy(ctx, arn)
	return p.Document, err
}
