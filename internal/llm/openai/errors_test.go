package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/ajans/ajans"
)

// timeoutErr is a net.Error that timed out.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestMapError(t *testing.T) {
	post := func(err error) error {
		return &url.Error{Op: "Post", URL: "http://model.internal/v1/chat/completions", Err: err}
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name        string
		ctx         context.Context
		err         error
		wantCode    string
		wantMessage string
	}{
		{"caller cancelled", context.Background(), context.Canceled,
			ajans.EUPSTREAM, cancelled},
		{"caller's context ended first", done, errors.New("connection reset"),
			ajans.EUPSTREAM, cancelled},
		{"deadline", context.Background(), post(context.DeadlineExceeded),
			ajans.EUPSTREAM, timedOut},
		{"network timeout", context.Background(), post(timeoutErr{}),
			ajans.EUPSTREAM, timedOut},
		{"name lookup", context.Background(),
			post(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x"}}),
			ajans.EUNAVAILABLE, ""},
		{"connection refused", context.Background(),
			post(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}),
			ajans.EUNAVAILABLE, ""},
		{"reset while reading", context.Background(),
			post(&net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}),
			ajans.EUPSTREAM, noAnswer},
		{"bad JSON", context.Background(),
			fmt.Errorf("error parsing response json: %w", &json.SyntaxError{}),
			ajans.EUPSTREAM, badAnswer},
		{"anything else", context.Background(), errors.New("strange"),
			ajans.EUPSTREAM, noAnswer},
	}
	p := New(Config{Name: "local"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.mapError(tt.ctx, tt.err)
			var e *ajans.Error
			if !errors.As(err, &e) {
				t.Fatalf("mapError = %T, want *ajans.Error", err)
			}
			if e.Code != tt.wantCode {
				t.Errorf("code %q, want %q", e.Code, tt.wantCode)
			}
			if tt.wantMessage != "" && e.Message != tt.wantMessage {
				t.Errorf("message %q, want %q", e.Message, tt.wantMessage)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("cause %v lost", tt.err)
			}
			if tt.wantMessage == cancelled && !errors.Is(err, context.Canceled) {
				t.Errorf("%v does not satisfy errors.Is(err, context.Canceled)", err)
			}
		})
	}
}
