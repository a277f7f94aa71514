// Package ratelimit limits how often a key (an app token, a client address)
// may be used, with the generic cell rate algorithm (GCRA).
//
// A Limit of PerMinute requests a minute with bursts of Burst lets a fresh
// key make Burst requests at once and then one every minute/PerMinute. GCRA
// keeps one number per key, the theoretical arrival time (TAT): the moment
// the key's bucket would be full again. A request at time now is allowed
// when TAT+interval-Burst*interval <= now, and then moves TAT to
// max(TAT, now)+interval. A key whose TAT has passed is the same as a key
// never seen, so both limiters forget it.
//
// Memory keeps the TATs in this process; Redis keeps them in a Redis server
// shared by several nodes. Both satisfy Limiter, and SetHeaders writes a
// Decision onto an HTTP response.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Bounds on a Limit, so that Burst*interval fits in an int64 of
// nanoseconds and the interval is at least one microsecond (Redis counts
// in microseconds).
const (
	maxPerMinute = 60_000_000
	maxBurst     = 1_000_000
)

// ErrInvalidLimit is returned by Allow for a Limit outside 1 ≤ PerMinute ≤
// 60,000,000 and 1 ≤ Burst ≤ 1,000,000.
var ErrInvalidLimit = errors.New("invalid rate limit")

// Limit is a GCRA limit: PerMinute requests a minute, with bursts of Burst.
type Limit struct{ PerMinute, Burst int }

// interval returns the time between two requests at the sustained rate.
func (l Limit) interval() (time.Duration, error) {
	if l.PerMinute < 1 || l.PerMinute > maxPerMinute || l.Burst < 1 || l.Burst > maxBurst {
		return 0, fmt.Errorf("%w: %d a minute, burst %d", ErrInvalidLimit, l.PerMinute, l.Burst)
	}
	return time.Minute / time.Duration(l.PerMinute), nil
}

// Decision is the answer of a Limiter to one request.
type Decision struct {
	Allowed    bool
	Limit      int           // the Burst (what X-RateLimit-Limit shows)
	Remaining  int           // requests still allowed right now
	ResetAfter time.Duration // until the bucket is full again (X-RateLimit-Reset)
	RetryAfter time.Duration // when !Allowed: until the next request is allowed
}

// Limiter decides whether one more request for key fits in the limit l.
// Each allowed request counts; a refused one does not.
type Limiter interface {
	Allow(ctx context.Context, key string, l Limit) (Decision, error)

	// Peek answers as Allow would, without counting the request: it tells
	// whether a key is over its limit before any work is done for it.
	Peek(ctx context.Context, key string, l Limit) (Decision, error)
}

// gcra applies one request at now (any clock, any unit) to a key whose
// theoretical arrival time is tat. It returns the TAT to store and whether
// the request is allowed; a refused request leaves the TAT as it was.
func gcra(tat, now, interval, burst int64) (int64, bool) {
	tat = max(tat, now)
	if tat+interval-burst*interval > now {
		return tat, false
	}
	return tat + interval, true
}

// decide builds a Decision for limit l from the TAT after the request, the
// request's time and the interval, all in the same unit, unit long.
func decide(l Limit, allowed bool, tat, now, interval int64, unit time.Duration) Decision {
	burst := int64(l.Burst)
	d := Decision{
		Allowed:    allowed,
		Limit:      l.Burst,
		Remaining:  int(max(0, (burst*interval-(tat-now))/interval)),
		ResetAfter: time.Duration(max(0, tat-now)) * unit,
	}
	if !allowed {
		d.RetryAfter = time.Duration(tat+interval-burst*interval-now) * unit
	}
	return d
}

// ClientAddr returns the address of the client that sent r, the key that
// failed log-ins and wrong tokens are counted against. With trustProxy it is
// the last address in X-Forwarded-For, the one the nearest proxy saw.
func ClientAddr(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			hops := strings.Split(xff, ",")
			return strings.TrimSpace(hops[len(hops)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// SetHeaders writes X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset (seconds, rounded up) for d, and Retry-After (seconds,
// rounded up, at least 1) when d refuses the request.
func SetHeaders(h http.Header, d Decision) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(d.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(d.Remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ceilSeconds(d.ResetAfter), 10))
	if !d.Allowed {
		h.Set("Retry-After", strconv.FormatInt(max(1, ceilSeconds(d.RetryAfter)), 10))
	}
}

// ceilSeconds returns d in whole seconds, rounded up; never below zero.
func ceilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}
