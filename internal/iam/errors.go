package iam

import "github.com/federa/federa/internal/awserr"

// IAM's error codes. https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
// and the Errors section of each action's reference page.
var (
	ErrNoSuchEntity        = awserr.Code("NoSuchEntity", 404)
	ErrEntityAlreadyExists = awserr.Code("EntityAlreadyExists", 409)
	ErrMalformedPolicy     = awserr.Code("MalformedPolicyDocument", 400)
	ErrDeleteConflict      = awserr.Code("DeleteConflict", 409)
	ErrInvalidInput        = awserr.Code("InvalidInput", 400)
	ErrValidation          = awserr.Code("ValidationError", 400)
	ErrLimitExceeded       = awserr.Code("LimitExceeded", 409)
)
