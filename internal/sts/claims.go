package sts

import (
	"crypto/rand"
	"crypto/subtle"
	"slices"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/sigv4"
)

// claims is what a session token carries, sealed.
type claims struct {
	Version     int                 `json:"v"`
	AccessKeyID string              `json:"k"`
	Account     string              `json:"a"`
	RoleName    string              `json:"r"`
	RoleID      string              `json:"ri"`
	RolePath    string              `json:"rp"`
	Session     string              `json:"s"`
	IssuedAt    int64               `json:"iat"`
	Expires     int64               `json:"exp"`
	Context     map[string][]string `json:"c,omitempty"`
	Policy      string              `json:"p,omitempty"`
	PolicyARNs  []string            `json:"pa,omitempty"`
}

// clone copies c's map and slices, so that a remembered claims value is
// never changed through a caller's copy.
func (c claims) clone() claims {
	if c.Context != nil {
		ctx := make(map[string][]string, len(c.Context))
		for k, v := range c.Context {
			ctx[k] = slices.Clone(v)
		}
		c.Context = ctx
	}
	c.PolicyARNs = slices.Clone(c.PolicyARNs)
	return c
}

func (c claims) principal() *access.Principal {
	roleARN := "arn:aws:iam::" + c.Account + ":role" + c.RolePath + c.RoleName
	return &access.Principal{
		Kind: access.AssumedRole, Account: c.Account,
		ARN:    "arn:aws:sts::" + c.Account + ":assumed-role/" + c.RoleName + "/" + c.Session,
		UserID: c.RoleID + ":" + c.Session, AccessKeyID: c.AccessKeyID,
		RoleARN: roleARN, RoleName: c.RoleName, SessionName: c.Session,
		IssuedAt: time.Unix(c.IssuedAt, 0).UTC(), Expires: time.Unix(c.Expires, 0).UTC(),
		Context: c.Context, SessionPolicy: c.Policy, SessionPolicyARNs: c.PolicyARNs,
	}
}

// keyAlphabet is the alphabet of AWS access key ids.
const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newAccessKeyID returns "ASIA" and 16 random characters, the shape of an
// AWS temporary access key id.
func newAccessKeyID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = keyAlphabet[int(b[i])%len(keyAlphabet)]
	}
	return "ASIA" + string(b)
}

func constantEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func invalidToken() error {
	return sigv4.Fail(sigv4.ErrInvalidToken, "The security token included in the request is invalid.")
}

func expiredToken() error {
	return sigv4.Fail(sigv4.ErrExpiredToken, "The security token included in the request is expired")
}
