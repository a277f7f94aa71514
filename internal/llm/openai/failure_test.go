package openai_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/llm/openai"
)

// fixed answers every request with status and body.
func fixed(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	})
}

func TestErrorStatuses(t *testing.T) {
	const key = "sk-test-secret-key"
	tests := []struct {
		name     string
		message  string // the mock's status hook
		wantText string
	}{
		{"401", "mock:status 401", "credentials"},
		{"403", "mock:status 403", "credentials"},
		{"404", "mock:status 404", "model"},
		{"429", "mock:status 429", "busy"},
		{"400", "mock:status 400", "rejected"},
		{"503", "mock:status 503", "503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := MustUpstream(t, nil)
			p := openai.New(openai.Config{BaseURL: up.URL, APIKey: key, MaxRetries: -1})
			_, err := p.Complete(t.Context(), ask(tt.message))
			e := wantCode(t, err, ajans.EUPSTREAM)
			if !strings.Contains(e.Message, tt.wantText) {
				t.Errorf("message %q does not mention %q", e.Message, tt.wantText)
			}
			if strings.Contains(err.Error(), key) || strings.Contains(e.Message, key) {
				t.Errorf("error %q shows the API key", err)
			}
		})
	}
}

func TestBadAnswers(t *testing.T) {
	tests := []struct {
		name string
		h    http.Handler
	}{
		{"not JSON", fixed(http.StatusOK, `{"id": "x", "choices": [`)},
		{"no choices", fixed(http.StatusOK, `{"id":"x","object":"chat.completion","choices":[]}`)},
		{"plain text", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("hello"))
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := MustUpstream(t, tt.h)
			_, err := openai.New(openai.Config{BaseURL: up.URL}).Complete(t.Context(), ask("hi"))
			e := wantCode(t, err, ajans.EUPSTREAM)
			if e.Message == "" || e.Err == nil {
				t.Errorf("error %+v, want a message and a cause", e)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	up := MustUpstream(t, nil)
	p := openai.New(openai.Config{BaseURL: up.URL, Timeout: 100 * time.Millisecond})
	_, err := p.Complete(t.Context(), ask("mock:sleep 1h"))
	e := wantCode(t, err, ajans.EUPSTREAM)
	if !strings.Contains(e.Message, "did not answer in time") {
		t.Errorf("message %q, want a timeout message", e.Message)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cause %v, want the deadline", e.Err)
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	tests := []struct {
		name    string
		retries int
	}{{"no retries", -1}, {"after a retry", 1}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openai.New(openai.Config{Name: "local", BaseURL: "http://" + addr + "/v1",
				MaxRetries: tt.retries})
			_, err := p.Complete(t.Context(), ask("hi"))
			e := wantCode(t, err, ajans.EUNAVAILABLE)
			if !strings.Contains(e.Message, `"local"`) {
				t.Errorf("message %q does not name the provider", e.Message)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	arrived := make(chan struct{}, 1)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	})
	up := MustUpstream(t, next)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-arrived
		cancel()
	}()

	_, err := openai.New(openai.Config{BaseURL: up.URL}).Complete(ctx, ask("hi"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled in the chain", err)
	}
	wantCode(t, err, ajans.EUPSTREAM)
	if up.attempts() != 1 {
		t.Errorf("%d attempts after a cancel, want 1", up.attempts())
	}
}

func TestAPIKey(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-from-the-environment")
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
	tests := []struct {
		name     string
		key      string
		wantAuth string
	}{
		{"set", "sk-configured", "Bearer sk-configured"},
		{"empty sends none, environment ignored", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := MustUpstream(t, nil)
			p := openai.New(openai.Config{BaseURL: up.URL, APIKey: tt.key})
			if _, err := p.Complete(t.Context(), ask("hi")); err != nil {
				t.Fatal(err)
			}
			if got := up.auth[0]; got != tt.wantAuth {
				t.Errorf("Authorization %q, want %q", got, tt.wantAuth)
			}
		})
	}
}

func TestBadRole(t *testing.T) {
	up := MustUpstream(t, nil)
	req := llm.Request{Model: "mock", Messages: []llm.Message{{Role: "tool", Content: "x"}}}
	_, err := openai.New(openai.Config{BaseURL: up.URL}).Complete(t.Context(), req)
	wantCode(t, err, ajans.EINVALID)
	if up.attempts() != 0 {
		t.Errorf("%d requests sent for a bad role, want 0", up.attempts())
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		field   string
		wantErr bool
	}{
		{"", false},
		{openai.MaxTokensField, false},
		{openai.MaxCompletionTokensField, false},
		{"max_output_tokens", true},
	}
	for _, tt := range tests {
		t.Run("field "+tt.field, func(t *testing.T) {
			err := openai.Config{MaxTokensField: tt.field}.Validate()
			if (err != nil) != tt.wantErr {
				t.Errorf("Validate() = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}
