package audit

import "github.com/federa/federa/internal/awserr"

// The audit API's error codes, named as the Cognito JSON APIs name theirs
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html).
var (
	ErrInvalidParameter = awserr.Code("InvalidParameterException", 400)
)
