package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestPct(t *testing.T) {
	var sorted []time.Duration
	for i := 1; i <= 100; i++ {
		sorted = append(sorted, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"median", sorted, 50, 50 * time.Millisecond},
		{"p99", sorted, 99, 99 * time.Millisecond},
		{"max", sorted, 100, 100 * time.Millisecond},
		{"one sample", sorted[:1], 99, time.Millisecond},
		{"none", nil, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pct(tt.in, tt.p); got != tt.want {
				t.Errorf("pct(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// TestOpenLoopChargesTheWait holds that a server which stalls is charged
// for the requests that queue behind the stall, not only for the one that
// met it: the generator keeps sending on schedule and times each request
// from when it was due.
func TestOpenLoopChargesTheWait(t *testing.T) {
	var mu sync.Mutex
	first := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock() // one request at a time, as a single worker would
		defer mu.Unlock()
		if first {
			first = false
			time.Sleep(300 * time.Millisecond)
		}
	}))
	defer srv.Close()

	l := newLoader(1000)
	r := l.openLoop(context.Background(), 100, time.Second, func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		return req
	})
	if r.ok != 100 || r.sent != 100 {
		t.Fatalf("ok %d of %d sent, want 100 of 100", r.ok, r.sent)
	}
	// About 30 requests were due during the stall and waited 10 to 290 ms;
	// a generator that waited for each answer would see one slow request.
	if p90 := pct(r.lat, 90); p90 < 100*time.Millisecond {
		t.Errorf("p90 = %v, want the queue behind the stall (≥ 100ms)", p90)
	}
}

func TestOpenLoopCountsFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	r := newLoader(10).openLoop(context.Background(), 50, 200*time.Millisecond,
		func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			return req
		})
	if r.ok != 0 || r.failed() != r.sent || r.codes[http.StatusTooManyRequests] != r.sent {
		t.Fatalf("ok %d, codes %v of %d sent: want every one a 429", r.ok, r.codes, r.sent)
	}
}

func TestFindBounds(t *testing.T) {
	tests := []struct {
		name           string
		start, limit   float64 // probes at or under limit pass
		wantLo, wantHi float64
	}{
		{"up from a passing start", 500, 1200, 1125, 1687.5},
		{"down from a failing start", 500, 200, 125, 250},
		{"nothing passes", 500, 1, 0, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := findBounds(context.Background(), tt.start,
				func(r float64) bool { return r <= tt.limit })
			if lo != tt.wantLo || hi != tt.wantHi {
				t.Errorf("findBounds = %v, %v; want %v, %v", lo, hi, tt.wantLo, tt.wantHi)
			}
		})
	}
}
