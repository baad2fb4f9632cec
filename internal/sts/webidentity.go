package sts

import (
	"context"
	"regexp"
	"time"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/policy"
)

// More STS error codes, from the service model.
var (
	ErrInvalidIdentityToken = awserr.Code("InvalidIdentityToken", 400)
	ErrExpiredToken         = awserr.Code("ExpiredTokenException", 400)
	ErrIDPRejectClaim       = awserr.Code("IDPRejectClaim", 403)
	ErrMalformedPolicy      = awserr.Code("MalformedPolicyDocument", 400)
	ErrPackedPolicyTooLarge = awserr.Code("PackedPolicyTooLarge", 400)
	ErrIDPCommunication     = awserr.Code("IDPCommunicationError", 400)
)

// WebIdentity is what a verified web identity token asserts.
type WebIdentity struct {
	// Provider is the issuer as a trust policy's Principal.Federated names
	// it: cognito-identity.amazonaws.com, or an OIDC provider's host/path.
	Provider string
	// Issuer is what the answer's Provider says: the token's iss for an
	// OIDC provider, cognito-identity.amazonaws.com for Cognito.
	Issuer            string
	Subject, Audience string
	// Context are the condition keys the token sets, e.g.
	// cognito-identity.amazonaws.com:aud, :sub and :amr.
	Context map[string][]string
}

// WebIdentityVerifier verifies the tokens AssumeRoleWithWebIdentity takes:
// a Cognito identity pool's OpenID token, or a registered OIDC provider's.
// It answers InvalidIdentityToken, ExpiredTokenException or IDPRejectClaim.
type WebIdentityVerifier interface {
	VerifyWebIdentity(ctx context.Context, token string) (WebIdentity, error)
}

// PolicyResolver finds managed policies (PolicyArns) by ARN.
type PolicyResolver interface {
	PolicyDocument(ctx context.Context, arn string) (string, error)
}

// AssumeRoleWithWebIdentityInput are the action's parameters.
type AssumeRoleWithWebIdentityInput struct {
	RoleARN, RoleSessionName, WebIdentityToken string
	DurationSeconds                            int // 0: one hour
	Policy                                     string
	PolicyARNs                                 []string
}

// AssumeRoleWithWebIdentityOutput is the action's answer.
type AssumeRoleWithWebIdentityOutput struct {
	Credentials     Credentials
	AssumedRoleUser AssumedRoleUser
	Identity        WebIdentity
}

var roleSessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// AssumeRoleWithWebIdentity verifies a web identity token and, when the
// role's trust policy allows its provider, returns a session of the role,
// narrowed by the session policies given.
func (s *Service) AssumeRoleWithWebIdentity(ctx context.Context, in AssumeRoleWithWebIdentityInput) (AssumeRoleWithWebIdentityOutput, error) {
	if s.web == nil {
		return AssumeRoleWithWebIdentityOutput{}, ErrInvalidIdentityToken.New("No web identity provider is configured.")
	}
	if !roleSessionNamePattern.MatchString(in.RoleSessionName) {
		return AssumeRoleWithWebIdentityOutput{}, ErrValidation.New("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64", in.RoleSessionName)
	}
	if in.WebIdentityToken == "" || len(in.WebIdentityToken) > 20000 {
		return AssumeRoleWithWebIdentityOutput{}, ErrValidation.New("1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000")
	}
	d := time.Hour
	if in.DurationSeconds != 0 {
		if in.DurationSeconds < 900 || in.DurationSeconds > 43200 {
			return AssumeRoleWithWebIdentityOutput{}, ErrValidation.New("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200", in.DurationSeconds)
		}
		d = time.Duration(in.DurationSeconds) * time.Second
	}
	if err := s.checkSessionPolicies(ctx, in.Policy, in.PolicyARNs); err != nil {
		return AssumeRoleWithWebIdentityOutput{}, err
	}
	id, err := s.web.VerifyWebIdentity(ctx, in.WebIdentityToken)
	if err != nil {
		return AssumeRoleWithWebIdentityOutput{}, err
	}
	creds, user, err := s.IssueWebIdentity(ctx, WebIdentityRequest{RoleARN: in.RoleARN, SessionName: in.RoleSessionName, Provider: id.Provider,
		Context: id.Context, Duration: d, Policy: in.Policy, PolicyARNs: in.PolicyARNs})
	if err != nil {
		return AssumeRoleWithWebIdentityOutput{}, err
	}
	return AssumeRoleWithWebIdentityOutput{Credentials: creds, AssumedRoleUser: user, Identity: id}, nil
}

// checkSessionPolicies validates a session's inline policy and managed
// policy ARNs: at most 10 ARNs, each a managed policy; the inline policy a
// valid document within STS's 2048-character packed limit.
func (s *Service) checkSessionPolicies(ctx context.Context, doc string, arns []string) error {
	if doc != "" {
		if len(doc) > 2048 {
			return ErrPackedPolicyTooLarge.New("Packed policy consumes more than 100%% of the allotted space: the session policy is %d characters, the limit is 2048.", len(doc))
		}
		if _, err := policy.Parse(doc, policy.Identity); err != nil {
			return ErrMalformedPolicy.New("%s", err.Error())
		}
	}
	if len(arns) > 10 {
		return ErrValidation.New("1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10")
	}
	for _, arn := range arns {
		if s.policies == nil {
			return ErrValidation.New("Managed session policies are not available.")
		}
		if _, err := s.policies.PolicyDocument(ctx, arn); err != nil {
			return ErrValidation.New("Policy %s does not exist or is not attachable.", arn)
		}
	}
	return nil
}
