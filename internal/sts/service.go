package sts

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// Store is what sts reads: roles (for trust policies) and its sealing keys.
type Store interface {
	store.Roles
	store.Keys
}

// Options configure the service.
type Options struct {
	Region    string
	AccountID string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// WebIdentity verifies AssumeRoleWithWebIdentity's tokens.
	WebIdentity WebIdentityVerifier
	// Policies resolves managed session policies (PolicyArns).
	Policies PolicyResolver
}

// Service issues and resolves role sessions.
type Service struct {
	st       Store
	account  string
	now      func() time.Time
	keys     *sealer
	web      WebIdentityVerifier
	policies PolicyResolver
}

// New returns the STS service.
func New(st Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{st: st, account: o.AccountID, now: o.Now, keys: newSealer(st, o.Now), web: o.WebIdentity, policies: o.Policies}
}

// SetWebIdentity sets the token verifier and policy resolver after
// construction: they are built from services that need STS themselves.
func (s *Service) SetWebIdentity(v WebIdentityVerifier, p PolicyResolver) { s.web, s.policies = v, p }

// Credentials are temporary credentials.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expiration                                 time.Time
}

// AssumedRoleUser identifies a session.
type AssumedRoleUser struct {
	ARN           string // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
	AssumedRoleID string // ROLEID:SESSION
}

// WebIdentityRequest asks for a session of RoleARN for a web identity that
// the caller (the identity pool) has already verified. Provider is the
// federated principal the trust policy must name (cognito-identity.amazonaws.com)
// and Context the condition keys the trust policy sees and the session keeps
// (cognito-identity.amazonaws.com:aud, :sub, :amr).
type WebIdentityRequest struct {
	RoleARN, SessionName, Provider string
	Context                        map[string][]string
	// Duration is the session length (one hour when zero).
	Duration time.Duration
	// Tags are session tags: they become aws:PrincipalTag/<key> for the
	// session, and the trust policy must allow sts:TagSession.
	Tags map[string]string
	// Policy and PolicyARNs are session policies that narrow the session.
	Policy     string
	PolicyARNs []string
}

// IssueWebIdentity evaluates the role's trust policy for
// sts:AssumeRoleWithWebIdentity and, when it allows, issues credentials.
func (s *Service) IssueWebIdentity(ctx context.Context, req WebIdentityRequest) (Credentials, AssumedRoleUser, error) {
	role, err := s.roleFor(ctx, req.RoleARN)
	if err != nil {
		return Credentials{}, AssumedRoleUser{}, err
	}
	if !sessionNamePattern(req.SessionName) {
		return Credentials{}, AssumedRoleUser{}, ErrValidation.New("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", req.SessionName)
	}
	trust, err := policy.Parse(role.TrustPolicy, policy.Trust)
	if err != nil {
		return Credentials{}, AssumedRoleUser{}, ErrAccessDenied.New("Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	res := policy.Evaluate(policy.Input{Resource: trust, Request: policy.Request{
		Principal: policy.Principal{Federated: req.Provider},
		Action:    "sts:AssumeRoleWithWebIdentity", Resource: req.RoleARN, ResourceAccount: s.account,
		Context: req.Context,
	}})
	if res.Decision != policy.Allow {
		return Credentials{}, AssumedRoleUser{}, ErrAccessDenied.New("Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	if len(req.Tags) > 0 && !s.tagsAllowed(trust, req) {
		return Credentials{}, AssumedRoleUser{}, ErrAccessDenied.New("Not authorized to perform sts:TagSession")
	}
	d := req.Duration
	if d == 0 {
		d = time.Hour
	}
	if max := time.Duration(role.MaxSessionDuration) * time.Second; max > 0 && d > max {
		return Credentials{}, AssumedRoleUser{}, ErrValidation.New("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	ctxKeys := map[string][]string{"aws:FederatedProvider": {req.Provider}}
	for k, v := range req.Context {
		ctxKeys[k] = v
	}
	for k, v := range req.Tags {
		ctxKeys["aws:PrincipalTag/"+k] = []string{v}
	}
	return s.issue(ctx, role, req.SessionName, d, ctxKeys, req.Policy, req.PolicyARNs)
}

// tagsAllowed evaluates sts:TagSession on the trust policy with the tags
// as aws:RequestTag/<key> and aws:TagKeys, as AWS does for session tags.
func (s *Service) tagsAllowed(trust *policy.Policy, req WebIdentityRequest) bool {
	ctx := make(map[string][]string, len(req.Context)+len(req.Tags)+1)
	for k, v := range req.Context {
		ctx[k] = v
	}
	keys := make([]string, 0, len(req.Tags))
	for k, v := range req.Tags {
		ctx["aws:RequestTag/"+k] = []string{v}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ctx["aws:TagKeys"] = keys
	return policy.Evaluate(policy.Input{Resource: trust, Request: policy.Request{
		Principal: policy.Principal{Federated: req.Provider},
		Action:    "sts:TagSession", Resource: req.RoleARN, ResourceAccount: s.account, Context: ctx,
	}}).Decision == policy.Allow
}

// roleFor loads the role an ARN names; a missing role is AccessDenied, as on
// AWS, so callers cannot probe which roles exist.
func (s *Service) roleFor(ctx context.Context, roleARN string) (store.Role, error) {
	prefix := "arn:aws:iam::" + s.account + ":role/"
	if !strings.HasPrefix(roleARN, prefix) || len(roleARN) < 20 || len(roleARN) > 2048 {
		return store.Role{}, ErrValidation.New("%s is invalid: a role ARN has the form arn:aws:iam::%s:role/NAME", roleARN, s.account)
	}
	name := roleARN[strings.LastIndex(roleARN, "/")+1:]
	role, err := s.st.GetRole(ctx, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && "arn:aws:iam::"+s.account+":role"+role.Path+role.Name != roleARN) {
		return store.Role{}, ErrAccessDenied.New("Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	return role, err
}

func (s *Service) issue(ctx context.Context, role store.Role, session string, d time.Duration, ctxKeys map[string][]string,
	sessionPolicy string, policyARNs []string) (Credentials, AssumedRoleUser, error) {
	now := s.now().UTC().Truncate(time.Second)
	c := claims{
		AccessKeyID: newAccessKeyID(), Account: s.account, RoleName: role.Name, RoleID: role.ID,
		RolePath: role.Path, Session: session, IssuedAt: now.Unix(), Expires: now.Add(d).Unix(), Context: ctxKeys,
		Policy: sessionPolicy, PolicyARNs: policyARNs,
	}
	token, secret, err := s.keys.seal(ctx, c)
	if err != nil {
		return Credentials{}, AssumedRoleUser{}, err
	}
	p := c.principal()
	return Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: secret, SessionToken: token, Expiration: p.Expires},
		AssumedRoleUser{ARN: p.ARN, AssumedRoleID: p.UserID}, nil
}

// Lookup implements the session half of access.CredentialSource: it opens
// the token, checks it belongs to the key and has not expired, and returns
// the session's principal and secret.
func (s *Service) Lookup(ctx context.Context, accessKeyID, token string) (*access.Principal, string, error) {
	if token == "" {
		return nil, "", invalidToken()
	}
	c, secret, err := s.keys.open(ctx, token)
	if err != nil {
		return nil, "", err
	}
	if !constantEqual(c.AccessKeyID, accessKeyID) {
		return nil, "", invalidToken()
	}
	if s.now().Unix() >= c.Expires {
		return nil, "", expiredToken()
	}
	return c.principal(), secret, nil
}

func sessionNamePattern(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_+=,.@-", r)) {
			return false
		}
	}
	return true
}
