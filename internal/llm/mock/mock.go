// Package mock is the deterministic mock model of ajans: an http.Handler
// that speaks the OpenAI chat-completions wire format, so that the real
// provider code runs against it in `ajans serve --dev`, in tests and in
// benchmarks.
//
// Routes:
//
//	POST /v1/chat/completions   echo the last user message
//	POST /v1/images/generations draw a PNG from the prompt (see Picture)
//	GET  /v1/models             list the one model, "mock"
//
// The reply to a chat completion is the content of the last message with
// role "user", exactly. When the request sets max_tokens or
// max_completion_tokens (the smaller, if both) to N > 0 and the echo is
// longer than N tokens, the echo is cut to N tokens and finish_reason is
// "length"; otherwise it is "stop". Usage counts come from package tokens:
// prompt_tokens is the sum over all message contents, completion_tokens the
// count of the reply. Content may be a string or an array of parts; the text
// parts are joined.
//
// Test hooks, chosen by the start of the last user message:
//
//	mock:status 503   answer with that status (400 to 599) and an OpenAI-style
//	                  error body
//	mock:sleep 2s     wait that long (a time.ParseDuration string), then echo
//
// Every answer first waits Options.Delay. All waits end early when the
// request is cancelled or the server started by Start shuts down.
package mock

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// ModelName is the name of the one model the mock serves.
const ModelName = "mock"

// maxBody caps the size of a request body.
const maxBody = 32 << 20

// Options configures a mock Server.
type Options struct {
	// Delay is how long every answer waits before it is written.
	Delay time.Duration

	// Now is the clock for the "created" field; nil means time.Now.
	Now func() time.Time
}

// Server is the mock model. It is an http.Handler, safe for concurrent use.
type Server struct {
	delay time.Duration
	now   func() time.Time
	seq   atomic.Uint64 // numbers response ids
}

// New returns a mock model with opts.
func New(opts Options) *Server {
	s := &Server{delay: opts.Delay, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// ServeHTTP routes a request to the chat or models endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/v1/chat/completions":
		if r.Method != http.MethodPost {
			methodNotAllowed(w, http.MethodPost)
			return
		}
		s.chatCompletion(w, r)
	case "/v1/images/generations":
		if r.Method != http.MethodPost {
			methodNotAllowed(w, http.MethodPost)
			return
		}
		s.imageGeneration(w, r)
	case "/v1/models":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, http.MethodGet)
			return
		}
		s.models(w)
	default:
		writeError(w, http.StatusNotFound, "not_found", "No route "+r.URL.Path+" on the mock model.")
	}
}

// models lists the one model.
func (s *Server) models(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, modelList{
		Object: "list",
		Data:   []model{{ID: ModelName, Object: "model", Created: 0, OwnedBy: "ajans"}},
	})
}

// Start serves a mock model with opts on a free port of 127.0.0.1 and
// returns its base URL, ending in "/v1", and a function that shuts it down:
// waits are cut short, then open requests are drained for up to 5 seconds.
func Start(opts Options) (baseURL string, shutdown func(), err error) {
	return serve(New(opts))
}

// serve serves h as Start describes.
func serve(h http.Handler) (baseURL string, shutdown func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen: %w", err)
	}
	base, cancel := context.WithCancel(context.Background())
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Serve fails only if the listener breaks; the callers' requests
		// then fail too, which is how they notice.
		_ = srv.Serve(ln)
	}()

	shutdown = func() {
		cancel()
		ctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
		<-done
	}
	return "http://" + ln.Addr().String() + "/v1", shutdown, nil
}

// sleep waits d or until ctx ends, and reports whether it waited in full.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
