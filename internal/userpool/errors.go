package userpool

import "github.com/federa/federa/internal/awserr"

// Cognito user pool error codes, from the service model.
var (
	ErrResourceNotFound         = awserr.Code("ResourceNotFoundException", 400)
	ErrInvalidParameter         = awserr.Code("InvalidParameterException", 400)
	ErrNotAuthorized            = awserr.Code("NotAuthorizedException", 400)
	ErrUserNotFound             = awserr.Code("UserNotFoundException", 400)
	ErrUsernameExists           = awserr.Code("UsernameExistsException", 400)
	ErrInvalidPassword          = awserr.Code("InvalidPasswordException", 400)
	ErrUserNotConfirmed         = awserr.Code("UserNotConfirmedException", 400)
	ErrPasswordResetRequired    = awserr.Code("PasswordResetRequiredException", 400)
	ErrUnsupportedOperation     = awserr.Code("UnsupportedOperationException", 400)
	ErrCodeMismatch             = awserr.Code("CodeMismatchException", 400)
	ErrExpiredCode              = awserr.Code("ExpiredCodeException", 400)
	ErrLimitExceeded            = awserr.Code("LimitExceededException", 400)
	ErrAliasExists              = awserr.Code("AliasExistsException", 400)
	ErrUnauthorizedClient       = awserr.Code("UnauthorizedException", 400)
	ErrSoftwareTokenMFANotFound = awserr.Code("SoftwareTokenMFANotFoundException", 400)
	ErrEnableSoftwareTokenMFA   = awserr.Code("EnableSoftwareTokenMFAException", 400)
	ErrGroupExists              = awserr.Code("GroupExistsException", 400)
	ErrFeatureUnavailableInTier = awserr.Code("FeatureUnavailableInTierException", 400)
)
