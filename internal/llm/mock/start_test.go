package mock

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestShutdownCutsWaits checks that a request sleeping for an hour is
// answered 503 at shutdown; were its wait not cut short, Shutdown would give
// up after 5 seconds and close the connection without an answer.
func TestShutdownCutsWaits(t *testing.T) {
	entered := make(chan struct{})
	m := New(Options{})
	base, shutdown, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		m.ServeHTTP(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}

	status := make(chan int, 1)
	go func() {
		body := `{"model":"mock","messages":[{"role":"user","content":"mock:sleep 1h"}]}`
		res, err := http.Post(base+"/chat/completions", "application/json",
			strings.NewReader(body))
		if err != nil {
			status <- 0
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		status <- res.StatusCode
	}()
	<-entered
	shutdown()

	if got := <-status; got != http.StatusServiceUnavailable {
		t.Errorf("sleeping request got status %d at shutdown, want 503", got)
	}
}
