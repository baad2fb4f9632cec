package gateway

import (
	"encoding/json"
	"fmt"
)

// InvokeError is an answer the gateway gives instead of the integration's,
// shaped as API Gateway's gateway responses: a status, a JSON body with one
// "message" (or, for IAM refusals, "Message") member, and sometimes an
// x-amzn-ErrorType header
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
// These are the invocation path's only errors; the management API's codes
// live in errors.go.
type InvokeError struct {
	Status int
	// ErrorType, when set, is sent as x-amzn-ErrorType.
	ErrorType string
	Message   string
	// Capital names the member "Message", as API Gateway does for
	// AccessDeniedException; the others are "message".
	Capital bool
	// Cause is logged, never sent.
	Cause error
}

// Error implements error.
func (e *InvokeError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message, e.Cause)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Message)
}

// Unwrap returns the cause.
func (e *InvokeError) Unwrap() error { return e.Cause }

// Body is the JSON body of the answer.
func (e *InvokeError) Body() []byte {
	key := "message"
	if e.Capital {
		key = "Message"
	}
	b, _ := json.Marshal(map[string]string{key: e.Message})
	return b
}

// The gateway responses the invocation path gives.
func errMissingToken() *InvokeError {
	// MISSING_AUTHENTICATION_TOKEN: an unknown path or method, or an
	// unsigned call of an AWS_IAM method.
	return &InvokeError{Status: 403, ErrorType: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
}

// errAPINotFound answers an unknown API id. In AWS the host name of an
// unknown API does not resolve; 404 is what LocalStack answers, which
// is what the path form's users expect.
func errAPINotFound() *InvokeError {
	return &InvokeError{Status: 404, ErrorType: "NotFoundException", Message: "Not Found"}
}

// errStageNotFound answers an unknown stage: API Gateway answers 403
// {"message":"Forbidden"} for a stage an existing API does not have.
func errStageNotFound() *InvokeError {
	return &InvokeError{Status: 403, ErrorType: "ForbiddenException", Message: "Forbidden"}
}

func errAccessDenied(msg string) *InvokeError {
	return &InvokeError{Status: 403, ErrorType: "AccessDeniedException", Message: msg, Capital: true}
}

func errUnauthorized(cause error) *InvokeError {
	return &InvokeError{Status: 401, ErrorType: "UnauthorizedException", Message: "Unauthorized", Cause: cause}
}

func errScopeForbidden() *InvokeError {
	return &InvokeError{Status: 403, ErrorType: "AccessDeniedException", Message: "Unauthorized"}
}

func errThrottled() *InvokeError {
	return &InvokeError{Status: 429, ErrorType: "TooManyRequestsException", Message: "Too Many Requests"}
}

// ErrIntegration is the answer to an upstream that failed or answered a
// malformed proxy result (INTEGRATION_FAILURE / a Lambda error).
func ErrIntegration(cause error) *InvokeError {
	return &InvokeError{Status: 502, ErrorType: "InternalServerErrorException", Message: "Internal server error", Cause: cause}
}

// ErrIntegrationTimeout is the answer to an upstream that did not answer
// within the integration's timeout (INTEGRATION_TIMEOUT).
func ErrIntegrationTimeout(cause error) *InvokeError {
	return &InvokeError{Status: 504, ErrorType: "InternalServerErrorException", Message: "Endpoint request timed out", Cause: cause}
}

// ErrInternal is the answer to a failure of federa itself.
func ErrInternal(cause error) *InvokeError {
	return &InvokeError{Status: 500, ErrorType: "InternalServerErrorException", Message: "Internal server error", Cause: cause}
}

// ErrBodyTooLarge answers a request over the 10 MB payload quota.
func ErrBodyTooLarge() *InvokeError {
	return &InvokeError{Status: 413, ErrorType: "RequestTooLargeException", Message: "Request Too Long"}
}

// ErrSignature answers a signed request whose signature or key failed
// verification, with the verifier's message, as API Gateway does (403).
func ErrSignature(message string, cause error) *InvokeError {
	return &InvokeError{Status: 403, ErrorType: "InvalidSignatureException", Message: message, Cause: cause}
}
