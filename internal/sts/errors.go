package sts

import "github.com/federa/federa/internal/awserr"

// STS error codes from the service model.
var (
	ErrAccessDenied          = awserr.Code("AccessDenied", 403)
	ErrInvalidParameter      = awserr.Code("InvalidParameterValue", 400)
	ErrValidation            = awserr.Code("ValidationError", 400)
	ErrMalformedPolicy       = awserr.Code("MalformedPolicyDocument", 400)
	ErrInvalidIdentityToken  = awserr.Code("InvalidIdentityToken", 400)
	ErrExpiredTokenException = awserr.Code("ExpiredTokenException", 400)
	ErrIDPRejectedClaim      = awserr.Code("IDPRejectedClaim", 403)
	ErrPackedPolicyTooLarge  = awserr.Code("PackedPolicyTooLarge", 400)
	ErrRegionDisabled        = awserr.Code("RegionDisabledException", 403)
	ErrIDPCommunicationError = awserr.Code("IDPCommunicationError", 400)
	ErrInvalidAuthorization  = awserr.Code("InvalidAuthorizationMessageException", 400)
	errNoSuchRole            = ErrAccessDenied
)
