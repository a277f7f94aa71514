package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Provider is a model provider the admin health page checks: an
// OpenAI-compatible endpoint whose /models list it asks for.
type Provider struct {
	Name    string
	BaseURL string // e.g. https://api.openai.com/v1
	APIKey  string // sent as a bearer token; never shown
}

// providerHealth is what one check found.
type providerHealth struct {
	Name, BaseURL string
	OK            bool
	Status        string // the HTTP status, or why there was none
	Latency       time.Duration
}

// checkProviders asks every provider for its model list at once.
func (s *Server) checkProviders(ctx context.Context) []providerHealth {
	out := make([]providerHealth, len(s.Providers))
	var wg sync.WaitGroup
	for i, p := range s.Providers {
		wg.Go(func() { out[i] = s.checkProvider(ctx, p) })
	}
	wg.Wait()
	return out
}

func (s *Server) checkProvider(ctx context.Context, p Provider) providerHealth {
	h := providerHealth{Name: p.Name, BaseURL: p.BaseURL}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		strings.TrimRight(p.BaseURL, "/")+"/models", nil)
	if err != nil {
		h.Status = "bad URL"
		return h
	}
	if p.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+p.APIKey)
	}
	start := time.Now()
	resp, err := s.HTTPClient.Do(req)
	h.Latency = time.Since(start).Round(time.Millisecond)
	if err != nil {
		h.Status = "unreachable"
		s.log.Warn("provider check", "provider", p.Name, "err", err)
		return h
	}
	resp.Body.Close()
	h.Status = resp.Status
	h.OK = resp.StatusCode < 300
	return h
}
