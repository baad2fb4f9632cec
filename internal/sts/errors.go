package sts

import "github.com/federa/federa/internal/awserr"

// STS error codes from the service model.
var (
	ErrAccessDenied = awserr.Code("AccessDenied", 403)
	ErrValidation   = awserr.Code("ValidationError", 400)
)
