package app

import (
	"context"

	"github.com/federa/federa/internal/identitypool"
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
