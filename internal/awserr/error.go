package awserr

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an AWS-shaped failure. Message is sent to the client; Cause is for
// the server log only and never leaves the process.
type Error struct {
	// Code is the AWS error code, e.g. "NotAuthorizedException" or "NoSuchKey".
	Code string
	// Message says what went wrong and, where it can, what to fix.
	Message string
	// Status is the HTTP status AWS answers this code with.
	Status int
	// Sender is true when the client is at fault (Query's <Type>Sender</Type>).
	Sender bool
	// Cause is the underlying error, logged but never sent.
	Cause error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s (cause: %v)", e.Code, e.Message, e.Cause)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the cause, so errors.Is sees through an Error.
func (e *Error) Unwrap() error { return e.Cause }

// Template is an error code with its status, declared once per service in its
// errors.go and instantiated with a message where the error happens.
type Template struct {
	Code   string
	Status int
}

// Code declares an error template.
func Code(code string, status int) Template { return Template{Code: code, Status: status} }

// New returns an Error with this template's code and status and a formatted message.
func (t Template) New(format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Code: t.Code, Message: msg, Status: t.Status, Sender: t.Status < 500}
}

// Wrap is New with a cause that is logged but not sent.
func (t Template) Wrap(cause error, format string, args ...any) *Error {
	e := t.New(format, args...)
	e.Cause = cause
	return e
}

// Is reports whether err is an *Error with this template's code.
func (t Template) Is(err error) bool { return HasCode(err, t.Code) }

// HasCode reports whether err is, or wraps, an *Error with the given code.
func HasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Internal wraps an unexpected failure. The client sees only a generic message;
// the cause goes to the log.
func Internal(cause error) *Error {
	return &Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: http.StatusInternalServerError, Cause: cause}
}
