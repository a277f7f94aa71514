package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Outcomes of one request besides an HTTP status.
const (
	codeDropped = -1 // not sent: too many requests were open already
	codeFailed  = -2 // no answer: connection error or timeout
)

// result is what one fixed-rate step measured.
type result struct {
	name  string        // the subject's
	rate  float64       // offered, requests a second
	sent  int           // requests scheduled
	ok    int           // answered 200
	codes map[int]int   // every other outcome, counted
	span  time.Duration // from the first answer to the last
	lat   []time.Duration
	lag   []time.Duration // how late the generator sent each request
	cpu   time.Duration   // the target's CPU time during the step; <0 unknown
}

// achieved returns the answered requests a second, over the time from the
// first answer to the last (and one interval more, for the first).
func (r *result) achieved() float64 {
	span := r.span.Seconds() + 1/r.rate
	return float64(r.ok) / span
}

// failed returns how many requests got no 200.
func (r *result) failed() int { return r.sent - r.ok }

// pct returns the latency at percentile p (0 to 100) of the answered
// requests, by the nearest-rank method.
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// cpuPerRequest returns the target's CPU time per answered request.
func (r *result) cpuPerRequest() time.Duration {
	if r.cpu < 0 || r.ok == 0 {
		return -1
	}
	return r.cpu / time.Duration(r.ok)
}

// loader sends requests and times them.
type loader struct {
	client  *http.Client
	maxOpen int64 // requests open at once before the generator drops more
}

func newLoader(maxOpen int) *loader {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 0
	t.MaxIdleConnsPerHost = 4 * maxOpen
	t.DisableCompression = true
	return &loader{client: &http.Client{Transport: t, Timeout: 30 * time.Second},
		maxOpen: int64(maxOpen)}
}

// openLoop sends requests made by next at rate a second for dur, each at
// its scheduled time whether or not earlier ones were answered, and times
// each from when it was due: a server that falls behind is charged the
// wait it causes (no coordinated omission).
func (l *loader) openLoop(ctx context.Context, rate float64, dur time.Duration,
	next func() *http.Request) *result {
	n := max(1, int(rate*dur.Seconds()))
	lat := make([]time.Duration, n)
	lag := make([]time.Duration, n)
	done := make([]time.Duration, n) // since start
	codes := make([]int, n)
	var open atomic.Int64
	var wg sync.WaitGroup
	interval := float64(time.Second) / rate

	start := time.Now()
	for i := range n {
		due := start.Add(time.Duration(float64(i) * interval))
		if wait := time.Until(due); wait > 0 && !sleep(ctx, wait) {
			n = i
			break
		}
		if open.Load() >= l.maxOpen {
			codes[i] = codeDropped
			continue
		}
		req := next().WithContext(ctx)
		open.Add(1)
		lag[i] = time.Since(due)
		wg.Go(func() {
			defer open.Add(-1)
			codes[i] = l.do(req, nil)
			now := time.Now()
			lat[i], done[i] = now.Sub(due), now.Sub(start)
		})
	}
	wg.Wait()
	return collect(rate, lat[:n], lag[:n], done[:n], codes[:n])
}

// collect sums up the outcomes of one step.
func collect(rate float64, lat, lag, done []time.Duration, codes []int) *result {
	r := &result{rate: rate, sent: len(codes), codes: map[int]int{}, cpu: -1}
	first, last := time.Duration(math.MaxInt64), time.Duration(0)
	for i, c := range codes {
		if c != http.StatusOK {
			r.codes[c]++
			continue
		}
		r.ok++
		r.lat = append(r.lat, lat[i])
		r.lag = append(r.lag, lag[i])
		first, last = min(first, done[i]), max(last, done[i])
	}
	if r.ok > 0 {
		r.span = last - first
	}
	slices.Sort(r.lat)
	slices.Sort(r.lag)
	return r
}

// do sends req and returns its status, or codeFailed. The body is read in
// full and, when into is not nil, kept there.
func (l *loader) do(req *http.Request, into *[]byte) int {
	resp, err := l.client.Do(req)
	if err != nil {
		return codeFailed
	}
	defer resp.Body.Close()
	if into != nil {
		*into, err = io.ReadAll(resp.Body)
	} else {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	if err != nil {
		return codeFailed
	}
	return resp.StatusCode
}

// closedLoop runs fn(i) for i from 0 to n-1 on conc goroutines and returns
// the first error.
func closedLoop(n, conc int, fn func(i int) error) error {
	var next atomic.Int64
	errs := make(chan error, conc)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if err := fn(i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// expect returns an error unless status is 200.
func expect(what string, status int, body []byte) error {
	if status == http.StatusOK {
		return nil
	}
	return fmt.Errorf("%s: status %d: %.300s", what, status, body)
}

// sleep waits d or until ctx ends, and reports whether it waited in full.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
