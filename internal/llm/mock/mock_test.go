package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/tokens"
)

// completion is the part of an answer the tests read.
type completion struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	Model   string `json:"model"`
	Choices []struct {
		Message struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	} `json:"usage"`
	Error *struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    string `json:"code"`
	} `json:"error"`
}

// MustServe starts srv behind a real HTTP server for the test's life.
func MustServe(tb testing.TB, opts mock.Options) string {
	tb.Helper()
	ts := httptest.NewServer(mock.New(opts))
	tb.Cleanup(ts.Close)
	return ts.URL
}

// post sends body to the chat endpoint of base and decodes the answer.
func post(tb testing.TB, ctx context.Context, base, body string) (int, completion, error) {
	tb.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		base+"/v1/chat/completions", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, completion{}, err
	}
	defer res.Body.Close()
	var c completion
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil {
		tb.Fatalf("decode answer (status %d): %v", res.StatusCode, err)
	}
	return res.StatusCode, c, nil
}

// chatBody returns a request body with the given messages, role then content.
func chatBody(tb testing.TB, extra map[string]any, pairs ...string) string {
	tb.Helper()
	msgs := []map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		msgs = append(msgs, map[string]string{"role": pairs[i], "content": pairs[i+1]})
	}
	body := map[string]any{"model": "mock", "messages": msgs}
	for k, v := range extra {
		body[k] = v
	}
	b, err := json.Marshal(body)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func TestEcho(t *testing.T) {
	base := MustServe(t, mock.Options{})
	tests := []struct {
		name string
		body string
		want string
	}{
		{"one user message", chatBody(t, nil, "user", "Merhaba dünya"), "Merhaba dünya"},
		{"last user message", chatBody(t, nil, "system", "Be brief.", "user", "first",
			"assistant", "first", "user", "second"), "second"},
		{"assistant last", chatBody(t, nil, "user", "question", "assistant", "answer"), "question"},
		{"no user message", chatBody(t, nil, "system", "alone"), ""},
		{"whitespace kept", chatBody(t, nil, "user", "  çğıİöşü \n"), "  çğıİöşü \n"},
		{"content parts", `{"model":"mock","messages":[{"role":"user","content":[` +
			`{"type":"text","text":"Mer"},{"type":"image_url","image_url":{"url":"x"}},` +
			`{"type":"text","text":"haba"}]}]}`, "Merhaba"},
		{"null content", `{"model":"mock","messages":[{"role":"user","content":null}]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, c, err := post(t, t.Context(), base, tt.body)
			if err != nil || status != http.StatusOK {
				t.Fatalf("status %d, err %v, error body %+v", status, err, c.Error)
			}
			if len(c.Choices) != 1 {
				t.Fatalf("%d choices, want 1", len(c.Choices))
			}
			ch := c.Choices[0]
			if ch.Message.Content != tt.want || ch.Message.Role != "assistant" {
				t.Errorf("reply %s %q, want assistant %q", ch.Message.Role, ch.Message.Content, tt.want)
			}
			if ch.FinishReason != "stop" {
				t.Errorf("finish_reason %q, want stop", ch.FinishReason)
			}
			if c.Object != "chat.completion" || c.Model != "mock" || c.ID == "" {
				t.Errorf("envelope id %q object %q model %q", c.ID, c.Object, c.Model)
			}
		})
	}
}

func TestTruncation(t *testing.T) {
	base := MustServe(t, mock.Options{})
	text := "İstanbul'da güzel bir gün." // 8 tokens
	tests := []struct {
		name       string
		extra      map[string]any
		wantReply  string
		wantFinish string
	}{
		{"no cap", nil, text, "stop"},
		{"max_tokens", map[string]any{"max_tokens": 5}, "İstanbul'da güzel", "length"},
		{"max_completion_tokens", map[string]any{"max_completion_tokens": 2},
			"İstanbul", "length"},
		{"both, the smaller wins", map[string]any{"max_tokens": 5, "max_completion_tokens": 2},
			"İstanbul", "length"},
		{"exact fit", map[string]any{"max_tokens": 8}, text, "stop"},
		{"room to spare", map[string]any{"max_tokens": 100}, text, "stop"},
		{"zero means no cap", map[string]any{"max_tokens": 0}, text, "stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, c, err := post(t, t.Context(), base, chatBody(t, tt.extra, "user", text))
			if err != nil || status != http.StatusOK {
				t.Fatalf("status %d, err %v", status, err)
			}
			ch := c.Choices[0]
			if ch.Message.Content != tt.wantReply || ch.FinishReason != tt.wantFinish {
				t.Errorf("got %q %s, want %q %s",
					ch.Message.Content, ch.FinishReason, tt.wantReply, tt.wantFinish)
			}
			if c.Usage.CompletionTokens != tokens.Count(tt.wantReply) {
				t.Errorf("completion_tokens %d, want %d",
					c.Usage.CompletionTokens, tokens.Count(tt.wantReply))
			}
		})
	}
}

func TestUsage(t *testing.T) {
	base := MustServe(t, mock.Options{})
	system, first, reply, last := "Sen yardımsever bir asistansın.", "Merhaba", "Selam!",
		"Bugün hava nasıl olacak?"
	body := chatBody(t, nil, "system", system, "user", first, "assistant", reply, "user", last)

	_, c, err := post(t, t.Context(), base, body)
	if err != nil {
		t.Fatal(err)
	}
	wantPrompt := tokens.Count(system) + tokens.Count(first) + tokens.Count(reply) +
		tokens.Count(last)
	wantCompletion := tokens.Count(last)
	u := c.Usage
	if u.PromptTokens != wantPrompt || u.CompletionTokens != wantCompletion ||
		u.TotalTokens != wantPrompt+wantCompletion {
		t.Errorf("usage %+v, want prompt %d completion %d total %d",
			u, wantPrompt, wantCompletion, wantPrompt+wantCompletion)
	}
}

func TestStatusHook(t *testing.T) {
	base := MustServe(t, mock.Options{})
	tests := []struct {
		name       string
		message    string
		wantStatus int
	}{
		{"503", "mock:status 503", http.StatusServiceUnavailable},
		{"429 with text after", "mock:status 429 slow down", http.StatusTooManyRequests},
		{"500", "mock:status 500", http.StatusInternalServerError},
		{"not an error status echoes", "mock:status 200", http.StatusOK},
		{"not a number echoes", "mock:status soon", http.StatusOK},
		{"not at the start echoes", "please mock:status 503", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, c, err := post(t, t.Context(), base, chatBody(t, nil, "user", tt.message))
			if err != nil {
				t.Fatal(err)
			}
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d", status, tt.wantStatus)
			}
			if status == http.StatusOK {
				if c.Choices[0].Message.Content != tt.message {
					t.Errorf("reply %q, want the echo", c.Choices[0].Message.Content)
				}
				return
			}
			if c.Error == nil || c.Error.Message == "" || c.Error.Code != "mock_status" {
				t.Errorf("error body %+v, want an OpenAI-style error", c.Error)
			}
		})
	}
}

func TestSleepHook(t *testing.T) {
	base := MustServe(t, mock.Options{})

	t.Run("sleeps then echoes", func(t *testing.T) {
		status, c, err := post(t, t.Context(), base, chatBody(t, nil, "user", "mock:sleep 10ms"))
		if err != nil || status != http.StatusOK {
			t.Fatalf("status %d, err %v", status, err)
		}
		if got := c.Choices[0].Message.Content; got != "mock:sleep 10ms" {
			t.Errorf("reply %q, want the echo", got)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		_, _, err := post(t, ctx, base, chatBody(t, nil, "user", "mock:sleep 1h"))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err %v, want the request's deadline", err)
		}
	})
}

func TestDelayIsCancellable(t *testing.T) {
	base := MustServe(t, mock.Options{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := post(t, ctx, base, chatBody(t, nil, "user", "hi")); err == nil {
		t.Error("answer came before an hour's delay")
	}
}

func TestCreatedAndIDs(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	base := MustServe(t, mock.Options{Now: func() time.Time { return now }})
	body := chatBody(t, nil, "user", "hi")

	_, a, err := post(t, t.Context(), base, body)
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := post(t, t.Context(), base, body)
	if err != nil {
		t.Fatal(err)
	}
	if a.Created != now.Unix() {
		t.Errorf("created %d, want %d", a.Created, now.Unix())
	}
	if a.ID == b.ID {
		t.Errorf("two answers share id %q", a.ID)
	}
}

func BenchmarkChatCompletion(b *testing.B) {
	h := mock.New(mock.Options{})
	body := []byte(chatBody(b, map[string]any{"max_tokens": 256},
		"system", "Sen yardımsever bir asistansın.",
		"user", "Merhaba! Bugün İstanbul'da hava nasıl, yarın için bir plan yapalım mı?"))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
