package identitypool

import "github.com/federa/federa/internal/awserr"

// Cognito identity error codes, from the service model.
var (
	ErrResourceNotFound  = awserr.Code("ResourceNotFoundException", 400)
	ErrInvalidParameter  = awserr.Code("InvalidParameterException", 400)
	ErrNotAuthorized     = awserr.Code("NotAuthorizedException", 400)
	ErrResourceConflict  = awserr.Code("ResourceConflictException", 400)
	ErrLimitExceeded     = awserr.Code("LimitExceededException", 400)
	ErrInvalidPoolConfig = awserr.Code("InvalidIdentityPoolConfigurationException", 400)
)

// Codes the credential issuer refuses with; a refusal means the pool's role
// configuration is wrong, which Cognito reports as such.
var (
	errAccessDenied = awserr.Code("AccessDenied", 403)
	errValidation   = awserr.Code("ValidationError", 400)
)

// messageOf returns the client-safe message of an awserr error.
func messageOf(err error) string {
	if e, ok := awserr.As(err); ok {
		return e.Message
	}
	return ""
}
