package ratelimit

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeClock is a clock that moves only when a test says so. It starts at
// an odd microsecond, so that a TAT rounded to fewer digits shows.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time // guarded by mu
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)}
}

// Now returns the clock's time.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// perMinute is the limit of DESIGN.md: 60 a minute, bursts of 60.
var perMinute = Limit{PerMinute: 60, Burst: 60}

// mustAllow makes one request and fails the test on an error.
func mustAllow(tb testing.TB, l Limiter, key string, limit Limit) Decision {
	tb.Helper()
	d, err := l.Allow(context.Background(), key, limit)
	if err != nil {
		tb.Fatalf("Allow(%q, %+v): %v", key, limit, err)
	}
	return d
}

// exhaust makes limit.Burst requests for key, checks that each is allowed
// with Remaining counting down to 0, and returns the last decision.
func exhaust(tb testing.TB, l Limiter, key string, limit Limit) Decision {
	tb.Helper()
	var d Decision
	for i := range limit.Burst {
		d = mustAllow(tb, l, key, limit)
		if !d.Allowed || d.Remaining != limit.Burst-1-i {
			tb.Fatalf("request %d: allowed %v, remaining %d; want true, %d",
				i+1, d.Allowed, d.Remaining, limit.Burst-1-i)
		}
	}
	return d
}

// checkDecision fails the test when got differs from want.
func checkDecision(tb testing.TB, got, want Decision) {
	tb.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		tb.Errorf("decision (-want +got):\n%s", diff)
	}
}

// testLimiter is the conformance suite every Limiter passes. newLimiter
// returns a fresh, empty limiter whose time is the returned clock.
func testLimiter(t *testing.T, newLimiter func(t *testing.T) (Limiter, *fakeClock)) {
	tests := []struct {
		name string
		run  func(t *testing.T, l Limiter, c *fakeClock)
	}{
		{"RefusesTheRequestAfterTheBurst", testRefusesAfterBurst},
		{"AllowsOneMoreAfterAnInterval", testAllowsAfterInterval},
		{"RetryAfterCountsDown", testRetryAfterCountsDown},
		{"ResetAfterAndRemaining", testResetAfter},
		{"RefillsFully", testRefillsFully},
		{"KeysAreIndependent", testKeysIndependent},
		{"LimitsPerKey", testLimitsPerKey},
		{"ConcurrentCallsNeverExceedTheBurst", testConcurrent},
		{"RejectsInvalidLimits", testInvalidLimits},
		{"PeekDoesNotCount", testPeek},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, c := newLimiter(t)
			tt.run(t, l, c)
		})
	}
}

func testRefusesAfterBurst(t *testing.T, l Limiter, _ *fakeClock) {
	last := exhaust(t, l, "app", perMinute)
	checkDecision(t, last, Decision{
		Allowed: true, Limit: 60, Remaining: 0, ResetAfter: time.Minute,
	})
	checkDecision(t, mustAllow(t, l, "app", perMinute), Decision{
		Allowed: false, Limit: 60, Remaining: 0, ResetAfter: time.Minute,
		RetryAfter: time.Second,
	})
}

func testPeek(t *testing.T, l Limiter, _ *fakeClock) {
	ctx := context.Background()
	limit := Limit{PerMinute: 6, Burst: 2}
	for range 5 {
		d, err := l.Peek(ctx, "peeked", limit)
		if err != nil || !d.Allowed || d.Remaining != 2 {
			t.Fatalf("Peek on a fresh key = %+v, %v", d, err)
		}
	}
	mustAllow(t, l, "peeked", limit)
	mustAllow(t, l, "peeked", limit)
	d, err := l.Peek(ctx, "peeked", limit)
	if err != nil || d.Allowed || d.RetryAfter != 10*time.Second {
		t.Fatalf("Peek on a full key = %+v, %v; want refused with 10s to wait", d, err)
	}
}

func testAllowsAfterInterval(t *testing.T, l Limiter, c *fakeClock) {
	exhaust(t, l, "app", perMinute)

	// Refused requests do not count: five of them leave the wait at 1 s.
	for range 5 {
		if d := mustAllow(t, l, "app", perMinute); d.Allowed {
			t.Fatalf("request past the burst allowed: %+v", d)
		}
	}
	c.Advance(time.Second)
	checkDecision(t, mustAllow(t, l, "app", perMinute), Decision{
		Allowed: true, Limit: 60, Remaining: 0, ResetAfter: time.Minute,
	})
	checkDecision(t, mustAllow(t, l, "app", perMinute), Decision{
		Allowed: false, Limit: 60, Remaining: 0, ResetAfter: time.Minute,
		RetryAfter: time.Second,
	})
}

func testRetryAfterCountsDown(t *testing.T, l Limiter, c *fakeClock) {
	exhaust(t, l, "app", perMinute)
	c.Advance(400 * time.Millisecond)
	checkDecision(t, mustAllow(t, l, "app", perMinute), Decision{
		Allowed: false, Limit: 60, Remaining: 0, ResetAfter: 59600 * time.Millisecond,
		RetryAfter: 600 * time.Millisecond,
	})
}

func testResetAfter(t *testing.T, l Limiter, c *fakeClock) {
	checkDecision(t, mustAllow(t, l, "app", perMinute), Decision{
		Allowed: true, Limit: 60, Remaining: 59, ResetAfter: time.Second,
	})
	for range 9 {
		mustAllow(t, l, "app", perMinute)
	}

	// Ten requests fill ten seconds; after four the eleventh leaves seven.
	c.Advance(4 * time.Second)
	checkDecision(t, mustAllow(t, l, "app", perMinute), Decision{
		Allowed: true, Limit: 60, Remaining: 53, ResetAfter: 7 * time.Second,
	})
}

func testRefillsFully(t *testing.T, l Limiter, c *fakeClock) {
	exhaust(t, l, "app", perMinute)
	c.Advance(time.Minute)
	exhaust(t, l, "app", perMinute)
}

func testKeysIndependent(t *testing.T, l Limiter, _ *fakeClock) {
	exhaust(t, l, "app-a", perMinute)
	checkDecision(t, mustAllow(t, l, "app-b", perMinute), Decision{
		Allowed: true, Limit: 60, Remaining: 59, ResetAfter: time.Second,
	})
	if d := mustAllow(t, l, "app-a", perMinute); d.Allowed {
		t.Errorf("app-a past its burst allowed: %+v", d)
	}
}

func testLimitsPerKey(t *testing.T, l Limiter, _ *fakeClock) {
	slow := Limit{PerMinute: 6, Burst: 2}
	exhaust(t, l, "login:192.0.2.1", slow)
	checkDecision(t, mustAllow(t, l, "login:192.0.2.1", slow), Decision{
		Allowed: false, Limit: 2, Remaining: 0, ResetAfter: 20 * time.Second,
		RetryAfter: 10 * time.Second,
	})
	exhaust(t, l, "app", perMinute)
}

func testConcurrent(t *testing.T, l Limiter, _ *fakeClock) {
	const workers, each = 16, 10
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				d, err := l.Allow(context.Background(), "app", perMinute)
				if err != nil {
					t.Errorf("Allow: %v", err)
					return
				}
				if d.Allowed {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != int64(perMinute.Burst) {
		t.Errorf("%d of %d concurrent requests allowed, want %d",
			got, workers*each, perMinute.Burst)
	}
}

func testInvalidLimits(t *testing.T, l Limiter, _ *fakeClock) {
	for _, limit := range []Limit{
		{PerMinute: 0, Burst: 1},
		{PerMinute: 1, Burst: 0},
		{PerMinute: -1, Burst: 5},
		{PerMinute: maxPerMinute + 1, Burst: 5},
		{PerMinute: 60, Burst: maxBurst + 1},
	} {
		_, err := l.Allow(context.Background(), "app", limit)
		if !errors.Is(err, ErrInvalidLimit) {
			t.Errorf("Allow(%+v) error = %v, want ErrInvalidLimit", limit, err)
		}
	}
}

func TestSetHeaders(t *testing.T) {
	tests := []struct {
		name string
		d    Decision
		want http.Header
	}{
		{
			name: "Allowed",
			d:    Decision{Allowed: true, Limit: 60, Remaining: 59, ResetAfter: time.Second},
			want: http.Header{
				"X-Ratelimit-Limit":     {"60"},
				"X-Ratelimit-Remaining": {"59"},
				"X-Ratelimit-Reset":     {"1"},
			},
		},
		{
			name: "ResetRoundsUp",
			d: Decision{Allowed: true, Limit: 60, Remaining: 3,
				ResetAfter: 56*time.Second + time.Millisecond},
			want: http.Header{
				"X-Ratelimit-Limit":     {"60"},
				"X-Ratelimit-Remaining": {"3"},
				"X-Ratelimit-Reset":     {"57"},
			},
		},
		{
			name: "RefusedCarriesRetryAfter",
			d: Decision{Limit: 60, ResetAfter: 59600 * time.Millisecond,
				RetryAfter: 600 * time.Millisecond},
			want: http.Header{
				"X-Ratelimit-Limit":     {"60"},
				"X-Ratelimit-Remaining": {"0"},
				"X-Ratelimit-Reset":     {"60"},
				"Retry-After":           {"1"},
			},
		},
		{
			name: "RetryAfterIsAtLeastOne",
			d:    Decision{Limit: 2, ResetAfter: time.Second},
			want: http.Header{
				"X-Ratelimit-Limit":     {"2"},
				"X-Ratelimit-Remaining": {"0"},
				"X-Ratelimit-Reset":     {"1"},
				"Retry-After":           {"1"},
			},
		},
		{
			name: "RetryAfterInWholeSeconds",
			d:    Decision{Limit: 2, ResetAfter: 20 * time.Second, RetryAfter: 10 * time.Second},
			want: http.Header{
				"X-Ratelimit-Limit":     {"2"},
				"X-Ratelimit-Remaining": {"0"},
				"X-Ratelimit-Reset":     {"20"},
				"Retry-After":           {"10"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			SetHeaders(h, tt.d)
			if diff := cmp.Diff(tt.want, h); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSetHeadersReplacesOldValues(t *testing.T) {
	h := http.Header{}
	h.Add("X-RateLimit-Remaining", "7")
	SetHeaders(h, Decision{Allowed: true, Limit: 60, Remaining: 5, ResetAfter: time.Second})
	if got := h.Values("X-RateLimit-Remaining"); !cmp.Equal(got, []string{"5"}) {
		t.Errorf("X-RateLimit-Remaining = %q, want [5]", got)
	}
}
