package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"

	"github.com/ajans/ajans"
	sdk "github.com/openai/openai-go/v3"
)

// Messages a person can act on.
const (
	timedOut  = "The model provider did not answer in time. Try again."
	cancelled = "The request was cancelled before the model answered."
	badAnswer = "The model provider sent an answer that could not be read. Try again."
	noAnswer  = "The model provider gave no usable answer. Try again."
)

// errNoChoices is the cause when an answer holds no choice.
var errNoChoices = errors.New("answer has no choices")

// mapError turns an error of the SDK into an *ajans.Error. ctx is the
// caller's context, so that its cancellation is told apart from our timeout.
// A cancelled call keeps context.Canceled in its chain.
func (p *Provider) mapError(ctx context.Context, err error) error {
	var apiErr *sdk.Error
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		if !errors.Is(err, context.Canceled) {
			err = fmt.Errorf("%w: %w", context.Canceled, err)
		}
		return ajans.WrapError(ajans.EUPSTREAM, cancelled, err)
	case isTimeout(err):
		return ajans.WrapError(ajans.EUPSTREAM, timedOut, err)
	case errors.As(err, &apiErr):
		return ajans.WrapError(ajans.EUPSTREAM, statusMessage(apiErr.StatusCode), err)
	case unreachable(err):
		return ajans.WrapError(ajans.EUNAVAILABLE, fmt.Sprintf("The model provider %q cannot "+
			"be reached. Try again later; if it keeps happening, tell the operator.", p.name), err)
	case isDecodeError(err):
		return ajans.WrapError(ajans.EUPSTREAM, badAnswer, err)
	default:
		return ajans.WrapError(ajans.EUPSTREAM, noAnswer, err)
	}
}

// statusMessage says what an error status from the provider means for the
// person waiting on it.
func statusMessage(status int) string {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return fmt.Sprintf("The model provider refused our credentials (HTTP %d). "+
			"Tell the operator to check the API key.", status)
	case status == http.StatusNotFound:
		return "The model provider does not know this model (HTTP 404). " +
			"Tell the operator to check the model name."
	case status == http.StatusTooManyRequests:
		return "The model provider is busy (HTTP 429). Try again in a minute."
	case status >= 500:
		return fmt.Sprintf("The model provider had an error (HTTP %d). Try again.", status)
	default:
		return fmt.Sprintf("The model provider rejected the request (HTTP %d); "+
			"the conversation may be too long for the model.", status)
	}
}

// isTimeout reports whether err is a deadline or a network timeout.
func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &netErr) && netErr.Timeout())
}

// unreachable reports whether err means no connection could be made: a
// failed name lookup, a refused connection, no route to the host.
func unreachable(err error) bool {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	return errors.As(err, &dnsErr) ||
		(errors.As(err, &opErr) && opErr.Op == "dial") ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH)
}

// isDecodeError reports whether err comes from reading a JSON answer.
func isDecodeError(err error) bool {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	return errors.As(err, &syntaxErr) || errors.As(err, &typeErr) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}
