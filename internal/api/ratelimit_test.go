package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ajans/ajans"
)

// TestSixtyFirstRequestIsRefused makes 61 calls within one minute (the
// limiter's clock stands still): the 61st is 429 with Retry-After.
func TestSixtyFirstRequestIsRefused(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	path := "/api/v2/credit/" + e.token
	for i := 1; i <= 60; i++ {
		r := e.get(path)
		if r.status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
		if got := r.header.Get("X-RateLimit-Remaining"); got != strconv.Itoa(60-i) {
			t.Fatalf("request %d: X-RateLimit-Remaining = %s", i, got)
		}
	}
	r := e.get(path)
	if r.status != http.StatusTooManyRequests || r.code() != ajans.ERATELIMIT {
		t.Fatalf("61st request: %d %s", r.status, r.body)
	}
	if got := r.header.Get("Retry-After"); got != "1" {
		t.Fatalf("Retry-After = %q, want 1", got)
	}
	if r.header.Get("X-RateLimit-Limit") != "60" || r.header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("headers %v", r.header)
	}

	// Another app is not limited by this one.
	other, _ := e.newApp("other@example.com", "pro", 0)
	if r := e.get("/api/v2/credit/" + other); r.status != http.StatusOK {
		t.Fatalf("another app: %d", r.status)
	}
	// A second later one more request fits.
	e.clock.advance(time.Second)
	if r := e.get(path); r.status != http.StatusOK {
		t.Fatalf("a second later: %d %s", r.status, r.body)
	}
}

// TestFailedAuthenticationIsLimitedPerAddress guesses tokens from one
// address until it is refused, even with a right token.
func TestFailedAuthenticationIsLimitedPerAddress(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	for i := 1; i <= 10; i++ {
		if r := e.get("/api/v2/credit/" + ajans.MustNewToken()); r.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, r.status)
		}
	}
	r := e.get("/api/v2/credit/" + ajans.MustNewToken())
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("11th guess: %d %v", r.status, r.header)
	}
	if r := e.get("/api/v2/credit/" + e.token); r.status != http.StatusTooManyRequests {
		t.Fatalf("right token from a blocked address: %d", r.status)
	}
	e.clock.advance(6 * time.Second) // one failure a 6 s refills
	if r := e.get("/api/v2/credit/" + e.token); r.status != http.StatusOK {
		t.Fatalf("after the wait: %d %s", r.status, r.body)
	}
}
