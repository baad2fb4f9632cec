package gateway

import "github.com/federa/federa/internal/awserr"

// API Gateway's error codes, from the 2015-07-09 model
// (https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html and
// each operation's Errors section). This file is the only place they and
// their statuses are written.
var (
	// ErrNotFound: the API, resource, method, authorizer, deployment or
	// stage named does not exist. The invocation path tells a missing API
	// apart with ErrNotFound.Is.
	ErrNotFound = awserr.Code("NotFoundException", 404)
	// ErrBadRequest: the request is malformed or asks for something
	// federa does not run.
	ErrBadRequest = awserr.Code("BadRequestException", 400)
	// ErrConflict: the name is taken, or the thing is still in use.
	ErrConflict = awserr.Code("ConflictException", 409)
	// ErrTooManyRequests: a stage's throttling refused the call.
	ErrTooManyRequests = awserr.Code("TooManyRequestsException", 429)
	// ErrUnauthorized: the caller is not signed in.
	ErrUnauthorized = awserr.Code("UnauthorizedException", 401)
)
