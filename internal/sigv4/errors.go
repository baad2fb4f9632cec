package sigv4

import (
	"errors"
	"fmt"
)

// Verification failures. Each protocol package maps these kinds to its own AWS
// error code (S3 SignatureDoesNotMatch, JSON InvalidSignatureException, …).
// Failures are returned as *Error, whose Kind is one of these sentinels, so
// errors.Is(err, ErrSignatureMismatch) works and Message can be sent.
var (
	// ErrIncompleteSignature: the Authorization header or presigned query is
	// malformed, incomplete, or uses an unsupported algorithm.
	ErrIncompleteSignature = errors.New("sigv4: incomplete or malformed signature")
	// ErrQueryParameters: a presigned URL's X-Amz-* parameters are missing
	// or malformed (S3's AuthorizationQueryParametersError). It wraps
	// ErrIncompleteSignature, so a protocol with no code of its own for it
	// answers as for any malformed signature.
	ErrQueryParameters = fmt.Errorf("sigv4: malformed presigned query parameters: %w", ErrIncompleteSignature)
	// ErrInvalidScope: the credential scope names the wrong region or service,
	// or a date that does not match the request time.
	ErrInvalidScope = errors.New("sigv4: invalid credential scope")
	// ErrSignatureMismatch: the signature is not the one the secret produces.
	ErrSignatureMismatch = errors.New("sigv4: signature does not match")
	// ErrRequestTimeTooSkewed: the request time is too far from the server's clock.
	ErrRequestTimeTooSkewed = errors.New("sigv4: request time too skewed")
	// ErrPresignExpired: a presigned URL's X-Amz-Expires has passed.
	ErrPresignExpired = errors.New("sigv4: presigned request expired")
	// ErrContentSHA256Mismatch: the body does not hash to x-amz-content-sha256.
	ErrContentSHA256Mismatch = errors.New("sigv4: x-amz-content-sha256 mismatch")
	// ErrIncompleteBody: an aws-chunked body is truncated or badly framed.
	ErrIncompleteBody = errors.New("sigv4: incomplete aws-chunked body")
	// ErrUnknownAccessKey: no such access key id (returned by credential lookup).
	ErrUnknownAccessKey = errors.New("sigv4: unknown access key id")
	// ErrInvalidToken: the session token is malformed or does not belong to the key.
	ErrInvalidToken = errors.New("sigv4: invalid security token")
	// ErrExpiredToken: the session token has expired.
	ErrExpiredToken = errors.New("sigv4: expired security token")
)

// Error is a verification failure with a message safe to send to the client.
type Error struct {
	// Kind is one of the Err* sentinels of this package.
	Kind error
	// Message says what was wrong, in AWS's words where AWS has them.
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Unwrap returns Kind, so errors.Is matches the sentinel.
func (e *Error) Unwrap() error { return e.Kind }

// Fail returns an *Error of the given kind.
func Fail(kind error, message string) *Error { return &Error{Kind: kind, Message: message} }

// MessageOf returns the client-safe message of a sigv4 failure, or "" when err
// carries none.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}
