package mock_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ajans/ajans/internal/llm/mock"
)

func TestBadRequests(t *testing.T) {
	base := MustServe(t, mock.Options{})
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		wantStatus int
	}{
		{"bad JSON", http.MethodPost, "/v1/chat/completions", `{"messages": [`, 400},
		{"wrong content type", http.MethodPost, "/v1/chat/completions",
			`{"messages":[{"role":"user","content":5}]}`, 400},
		{"stream", http.MethodPost, "/v1/chat/completions",
			`{"stream":true,"messages":[]}`, 400},
		{"wrong method", http.MethodGet, "/v1/chat/completions", "", 405},
		{"models wrong method", http.MethodPost, "/v1/models", "{}", 405},
		{"unknown path", http.MethodGet, "/v1/embeddings", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, base+tt.path,
				strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			var c completion
			if err := json.NewDecoder(res.Body).Decode(&c); err != nil || c.Error == nil ||
				c.Error.Message == "" {
				t.Errorf("body is not an OpenAI-style error (err %v)", err)
			}
		})
	}
}

func TestModels(t *testing.T) {
	base := MustServe(t, mock.Options{})
	res, err := http.Get(base + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var list struct {
		Object string `json:"object"`
		Data   []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if list.Object != "list" || len(list.Data) != 1 || list.Data[0].ID != "mock" {
		t.Errorf("models %+v, want one model mock", list)
	}
}

func TestStart(t *testing.T) {
	base, shutdown, err := mock.Start(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(base, "/v1") || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("base URL %q, want http://127.0.0.1:PORT/v1", base)
	}
	root := strings.TrimSuffix(base, "/v1")
	if status, c, err := post(t, t.Context(), root, chatBody(t, nil, "user", "hi")); err != nil ||
		status != http.StatusOK || c.Choices[0].Message.Content != "hi" {
		t.Fatalf("status %d, err %v", status, err)
	}

	shutdown()
	if _, err := http.Get(base + "/models"); err == nil {
		t.Error("server still answers after shutdown")
	}
}
