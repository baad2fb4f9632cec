package app

import (
	"context"
	"strings"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/sigv4"
)

// sessionLookup is what sts offers the credential source.
type sessionLookup interface {
	Lookup(ctx context.Context, accessKeyID, sessionToken string) (*access.Principal, string, error)
}

// credentialSource resolves the root key itself and every temporary key
// through sts. It satisfies access.CredentialSource.
type credentialSource struct {
	root     RootCredentials
	account  string
	sessions sessionLookup
}

// Lookup implements access.CredentialSource.
func (c *credentialSource) Lookup(ctx context.Context, accessKeyID, sessionToken string) (*access.Principal, string, error) {
	if c.root.matches(accessKeyID) {
		if sessionToken != "" {
			// A long-term key never comes with a session token; AWS refuses it.
			return nil, "", sigv4.Fail(sigv4.ErrInvalidToken, "The security token included in the request is invalid.")
		}
		return &access.Principal{
			Kind: access.Root, Account: c.account, ARN: "arn:aws:iam::" + c.account + ":root",
			UserID: c.account, AccessKeyID: accessKeyID,
		}, c.root.SecretAccessKey, nil
	}
	if strings.HasPrefix(accessKeyID, "ASIA") && c.sessions != nil {
		return c.sessions.Lookup(ctx, accessKeyID, sessionToken)
	}
	return nil, "", sigv4.Fail(sigv4.ErrUnknownAccessKey, "The AWS Access Key Id you provided does not exist in our records.")
}
