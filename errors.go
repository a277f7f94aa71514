// Package ajans holds the domain of the ajans platform: users, plans, apps,
// assistants, chats and messages, the error type every layer speaks, and the
// small interfaces shared between packages. It imports nothing of ours.
package ajans

import (
	"errors"
	"fmt"
)

// Error codes. Each is stable on the wire and maps to one HTTP status.
const (
	EINVALID     = "invalid_request"      // 400: a bad or missing parameter
	EAUTH        = "invalid_token"        // 401: a missing, malformed or unknown token
	ECREDIT      = "insufficient_credit"  // 402: the app cannot pay for the call
	EFORBIDDEN   = "plan_forbidden"       // 403: the feature is not in the plan
	ENOTFOUND    = "not_found"            // 404: no such chat or assistant for this app
	EMETHOD      = "method_not_allowed"   // 405: the path exists, the method does not
	ETOOLARGE    = "too_large"            // 413: a body or file over its cap
	ERATELIMIT   = "rate_limited"         // 429: too many requests
	EINTERNAL    = "internal_error"       // 500: our fault
	EUPSTREAM    = "provider_failed"      // 502: the model provider failed or timed out
	EUNAVAILABLE = "provider_unavailable" // 503: no model provider configured or reachable
	ECONFLICT    = "conflict"             // 409: the thing exists already
)

// Error is the one error type of ajans. Message is safe to show to the
// caller; Err is the cause, for the log only.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error returns the message, followed by the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with the given code and message that keeps
// cause for the log.
func WrapError(code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, Err: cause}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the caller-safe message of err. Errors that are not
// an *Error get a generic message, so causes never leak to a caller.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Try again; if it keeps happening, tell the operator."
}
