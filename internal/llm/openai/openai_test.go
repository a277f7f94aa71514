package openai_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/llm/openai"
	"github.com/ajans/ajans/internal/tokens"
)

// upstream is a real HTTP server in front of a handler (the mock model by
// default) that records what arrives and can fail the first attempts.
type upstream struct {
	URL string // base URL, ending in /v1

	mu       sync.Mutex
	bodies   []map[string]any
	auth     []string
	failWith int // status for the next failures, 0 for none
	failures int // how many attempts still fail
}

// MustUpstream starts an upstream in front of next (the mock when nil).
func MustUpstream(tb testing.TB, next http.Handler) *upstream {
	tb.Helper()
	if next == nil {
		next = mock.New(mock.Options{})
	}
	u := &upstream{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u.record(r) {
			w.Header().Set("Retry-After-Ms", "1") // keep the SDK's backoff short
			http.Error(w, `{"error":{"message":"boom","type":"server_error"}}`, u.failWith)
			return
		}
		next.ServeHTTP(w, r)
	}))
	tb.Cleanup(ts.Close)
	u.URL = ts.URL + "/v1"
	return u
}

// record keeps the request's body and Authorization header, and reports
// whether this attempt must fail.
func (u *upstream) record(r *http.Request) bool {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	var body map[string]any
	json.Unmarshal(b, &body)

	u.mu.Lock()
	defer u.mu.Unlock()
	u.bodies = append(u.bodies, body)
	u.auth = append(u.auth, r.Header.Get("Authorization"))
	if u.failures > 0 {
		u.failures--
		return true
	}
	return false
}

// failNext makes the next n attempts fail with status.
func (u *upstream) failNext(n, status int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.failures, u.failWith = n, status
}

// attempts returns how many requests arrived.
func (u *upstream) attempts() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.bodies)
}

// lastBody returns the JSON body of the latest request.
func (u *upstream) lastBody() map[string]any {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.bodies[len(u.bodies)-1]
}

// ask returns a request with one user message.
func ask(text string) llm.Request {
	return llm.Request{Model: "mock", Messages: []llm.Message{{Role: llm.RoleUser, Content: text}}}
}

// wantCode fails unless err is an *ajans.Error with code.
func wantCode(tb testing.TB, err error, code string) *ajans.Error {
	tb.Helper()
	var e *ajans.Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %v (%T), want an *ajans.Error", err, err)
	}
	if e.Code != code {
		tb.Fatalf("code = %q (%v), want %q", e.Code, err, code)
	}
	return e
}

func TestCompleteSuccess(t *testing.T) {
	up := MustUpstream(t, nil)
	p := openai.New(openai.Config{Name: "local", BaseURL: up.URL})
	req := llm.Request{Model: "mock", Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: "Kısa yanıt ver."},
		{Role: llm.RoleUser, Content: "Merhaba"},
		{Role: llm.RoleAssistant, Content: "Selam!"},
		{Role: llm.RoleUser, Content: "İstanbul'da güzel bir gün."},
	}}

	res, err := p.Complete(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	prompt := 0
	for _, m := range req.Messages {
		prompt += tokens.Count(m.Content)
	}
	want := llm.Response{Content: "İstanbul'da güzel bir gün.", PromptTokens: prompt,
		CompletionTokens: tokens.Count("İstanbul'da güzel bir gün."), FinishReason: "stop"}
	if *res != want {
		t.Errorf("got %+v, want %+v", *res, want)
	}
	if p.Name() != "local" {
		t.Errorf("Name() = %q, want local", p.Name())
	}
	msgs, _ := up.lastBody()["messages"].([]any)
	if len(msgs) != 4 || up.lastBody()["model"] != "mock" {
		t.Errorf("body sent %v", up.lastBody())
	}
}

func TestUsageFromProvider(t *testing.T) {
	tests := []struct {
		name       string
		usage      string
		wantPrompt int
		wantReply  int
	}{
		{"reported", `"usage":{"prompt_tokens":11,"completion_tokens":22,"total_tokens":33}`,
			11, 22},
		{"left out, counted here", `"usage":null`, tokens.Count("soru"), tokens.Count("cevap")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,` +
				`"message":{"role":"assistant","content":"cevap"},"finish_reason":"stop"}],` +
				tt.usage + `}`
			up := MustUpstream(t, fixed(http.StatusOK, body))
			res, err := openai.New(openai.Config{BaseURL: up.URL}).Complete(t.Context(), ask("soru"))
			if err != nil {
				t.Fatal(err)
			}
			if res.PromptTokens != tt.wantPrompt || res.CompletionTokens != tt.wantReply {
				t.Errorf("usage %d + %d, want %d + %d", res.PromptTokens, res.CompletionTokens,
					tt.wantPrompt, tt.wantReply)
			}
		})
	}
}

func TestMaxTokensField(t *testing.T) {
	text := "İstanbul'da güzel bir gün." // 8 tokens
	tests := []struct {
		name       string
		field      string
		max        int
		wantSent   string // field that must be in the body, "" for none
		wantAbsent []string
		wantFinish string
	}{
		{"default field", "", 5, "max_tokens", []string{"max_completion_tokens"}, "length"},
		{"max_tokens", openai.MaxTokensField, 5, "max_tokens",
			[]string{"max_completion_tokens"}, "length"},
		{"max_completion_tokens", openai.MaxCompletionTokensField, 5, "max_completion_tokens",
			[]string{"max_tokens"}, "length"},
		{"no cap", openai.MaxCompletionTokensField, 0, "",
			[]string{"max_tokens", "max_completion_tokens"}, "stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := MustUpstream(t, nil)
			p := openai.New(openai.Config{BaseURL: up.URL, MaxTokensField: tt.field})
			req := ask(text)
			req.MaxTokens = tt.max

			res, err := p.Complete(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			body := up.lastBody()
			if tt.wantSent != "" && body[tt.wantSent] != float64(tt.max) {
				t.Errorf("%s = %v, want %d", tt.wantSent, body[tt.wantSent], tt.max)
			}
			for _, f := range tt.wantAbsent {
				if v, ok := body[f]; ok {
					t.Errorf("%s = %v sent, want none", f, v)
				}
			}
			if res.FinishReason != tt.wantFinish {
				t.Errorf("finish %q, want %q", res.FinishReason, tt.wantFinish)
			}
			if tt.max > 0 && res.CompletionTokens > tt.max {
				t.Errorf("%d completion tokens over the cap %d", res.CompletionTokens, tt.max)
			}
		})
	}
}

func TestRetry(t *testing.T) {
	t.Run("500 then success", func(t *testing.T) {
		up := MustUpstream(t, nil)
		up.failNext(1, http.StatusInternalServerError)
		res, err := openai.New(openai.Config{BaseURL: up.URL}).Complete(t.Context(), ask("hi"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Content != "hi" || up.attempts() != 2 {
			t.Errorf("reply %q after %d attempts, want hi after 2", res.Content, up.attempts())
		}
	})
	t.Run("persistent 500", func(t *testing.T) {
		up := MustUpstream(t, nil)
		up.failNext(100, http.StatusInternalServerError)
		p := openai.New(openai.Config{BaseURL: up.URL, MaxRetries: 3})
		_, err := p.Complete(t.Context(), ask("hi"))
		e := wantCode(t, err, ajans.EUPSTREAM)
		if !strings.Contains(e.Message, "500") || up.attempts() != 4 {
			t.Errorf("message %q after %d attempts, want 500 after 4", e.Message, up.attempts())
		}
	})
	t.Run("no retries", func(t *testing.T) {
		up := MustUpstream(t, nil)
		p := openai.New(openai.Config{BaseURL: up.URL, MaxRetries: -1})
		_, err := p.Complete(t.Context(), ask("mock:status 503"))
		wantCode(t, err, ajans.EUPSTREAM)
		if up.attempts() != 1 {
			t.Errorf("%d attempts, want 1", up.attempts())
		}
	})
}

func BenchmarkComplete(b *testing.B) {
	ts := httptest.NewServer(mock.New(mock.Options{}))
	b.Cleanup(ts.Close)
	p := openai.New(openai.Config{BaseURL: ts.URL + "/v1"})
	req := llm.Request{Model: "mock", MaxTokens: 256, Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: "Sen yardımsever bir asistansın."},
		{Role: llm.RoleUser, Content: "Merhaba! Bugün hava nasıl, yarın için bir plan yapalım mı?"},
	}}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := p.Complete(context.Background(), req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
