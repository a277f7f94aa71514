package api_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/llm/openai"
)

// TestProviderFailuresCostNothing makes the model fail in each way and
// checks the status, and that no credit moved and no chat was saved.
func TestProviderFailuresCostNothing(t *testing.T) {
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	deadURL := "http://" + closed.Addr().String() + "/v1"
	closed.Close()

	tests := []struct {
		name    string
		message string
		status  int
		code    string
		timeout time.Duration
	}{
		{name: "provider answers 500", message: "mock:status 500", status: 502, code: ajans.EUPSTREAM},
		{name: "provider answers 429", message: "mock:status 429", status: 502, code: ajans.EUPSTREAM},
		{name: "provider too slow", message: "mock:sleep 3s", status: 502, code: ajans.EUPSTREAM,
			timeout: 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, options{credits: 5000, timeout: tt.timeout})
			r := e.postJSON("/api/v2/newChat/16/"+e.token, map[string]string{"message": tt.message})
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("got %d %s; want %d %s", r.status, r.body, tt.status, tt.code)
			}
			if e.balance() != 5000 || e.chatCount() != 0 {
				t.Fatalf("balance %d, %d chats after a failed call", e.balance(), e.chatCount())
			}
		})
	}

	t.Run("provider unreachable", func(t *testing.T) {
		models := llm.NewRegistry("dead/x", openai.New(openai.Config{Name: "dead", BaseURL: deadURL,
			MaxRetries: -1, Timeout: time.Second}))
		e := newEnv(t, options{credits: 5000, models: models})
		r := e.postJSON("/api/v2/newChat/16/"+e.token, map[string]string{"message": "merhaba"})
		if r.status != 503 || e.balance() != 5000 || e.chatCount() != 0 {
			t.Fatalf("got %d %s, balance %d", r.status, r.body, e.balance())
		}
	})

	t.Run("no provider configured", func(t *testing.T) {
		e := newEnv(t, options{credits: 5000, models: llm.NewRegistry("")})
		r := e.postJSON("/api/v2/newChat/16/"+e.token, map[string]string{"message": "merhaba"})
		if r.status != 503 || !strings.Contains(string(r.body), "AJANS_OPENAI_BASE_URL") {
			t.Fatalf("got %d %s", r.status, r.body)
		}
		if e.balance() != 5000 {
			t.Fatalf("balance %d", e.balance())
		}
	})
}

// TestCancelledRequestCostsNothing cuts a request off while the model
// thinks: the hold is released and nothing is saved.
func TestCancelledRequestCostsNothing(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.url+"/api/v2/newChat/16/"+e.token,
		strings.NewReader(`{"message": "mock:sleep 3s"}`))
	req.Header.Set("Content-Type", "application/json")
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("the request was not cut off")
	}
	deadline := time.Now().Add(5 * time.Second)
	for e.balance() != 5000 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // the server notices the cut and releases the hold
	}
	if e.balance() != 5000 || e.chatCount() != 0 {
		t.Fatalf("balance %d, %d chats after a cut-off call", e.balance(), e.chatCount())
	}
}

// TestTokensNeverReachTheLog checks the access log shows only a token's
// first characters.
func TestTokensNeverReachTheLog(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	e.newChat("16", "merhaba")
	e.get("/api/v2/credit/" + e.token)
	e.get("/api/v2/credit/" + ajans.MustNewToken() + "x")
	log := e.log.String()
	if strings.Contains(log, e.token) || strings.Contains(log, e.token[8:]) {
		t.Fatalf("the token is in the log:\n%s", log)
	}
	if !strings.Contains(log, ajans.ShowToken(e.token)) {
		t.Fatalf("the log does not show the token's prefix:\n%s", log)
	}
}
