package ratelimit

import (
	"context"
	"hash/maphash"
	"math"
	"runtime"
	"sync"
	"time"
)

// Sampling sizes for the lazy sweep: how many entries a new key looks at
// when the shard has room, and when the shard is full and one must go.
const (
	sweepSample = 2
	evictSample = 8
)

// Memory is a Limiter that keeps the TAT of each key in this process. It is
// safe for concurrent use; keys are spread over shards, each with its own
// lock, so callers on different cores rarely wait for one another.
//
// Memory holds at most maxKeys entries. An entry whose TAT has passed is
// worth nothing and is dropped lazily: each new key looks at a few random
// entries of its shard and deletes the stale ones. When a shard is full of
// live entries, a new key evicts the sampled entry with the smallest TAT,
// the one nearest to full; an evicted key starts again with a fresh burst.
// So whoever sprays more than maxKeys distinct keys can win fresh bursts
// for the keys they evict, but never more memory.
type Memory struct {
	now    func() time.Time
	base   time.Time // TATs count nanoseconds from base
	seed   maphash.Seed
	mask   uint64
	shards []memoryShard
}

// memoryShard is one lock and the TATs it guards, padded to a cache line of
// its own so that shards do not share one.
type memoryShard struct {
	mu   sync.Mutex
	tats map[string]int64 // guarded by mu: key → TAT in nanoseconds from base
	max  int              // most entries tats may hold
	_    [40]byte
}

var _ Limiter = (*Memory)(nil)

// NewMemory returns a Memory that holds at most maxKeys keys (1 when less)
// and reads the time from now (time.Now when nil). It starts no goroutine
// and needs no Close.
func NewMemory(maxKeys int, now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	maxKeys = max(1, maxKeys)
	n := shardCount(maxKeys, runtime.GOMAXPROCS(0))
	m := &Memory{
		now:    now,
		base:   now(),
		seed:   maphash.MakeSeed(),
		mask:   uint64(n - 1),
		shards: make([]memoryShard, n),
	}

	// Share maxKeys out exactly, so the shards together never exceed it.
	for i := range m.shards {
		m.shards[i].tats = make(map[string]int64)
		m.shards[i].max = maxKeys / n
		if i < maxKeys%n {
			m.shards[i].max++
		}
	}
	return m
}

// shardCount returns a power of two near four shards a core, between 8 and
// 1024, but no more than maxKeys so that every shard holds at least one key.
func shardCount(maxKeys, procs int) int {
	n := 8
	for n < 4*procs && n < 1024 {
		n *= 2
	}
	for n > maxKeys {
		n /= 2
	}
	return n
}

// Allow counts one request for key against l, if l lets it through.
func (m *Memory) Allow(_ context.Context, key string, l Limit) (Decision, error) {
	return m.apply(key, l, true)
}

// Peek answers as Allow would, without counting the request.
func (m *Memory) Peek(_ context.Context, key string, l Limit) (Decision, error) {
	return m.apply(key, l, false)
}

func (m *Memory) apply(key string, l Limit, count bool) (Decision, error) {
	interval, err := l.interval()
	if err != nil {
		return Decision{}, err
	}
	now := int64(m.now().Sub(m.base))
	s := &m.shards[maphash.String(m.seed, key)&m.mask]

	s.mu.Lock()
	var tat int64
	var allowed bool
	if count {
		tat, allowed = s.allowLocked(key, now, int64(interval), int64(l.Burst))
	} else {
		old, ok := s.tats[key]
		if !ok {
			old = now
		}
		_, allowed = gcra(old, now, int64(interval), int64(l.Burst))
		tat = max(old, now)
	}
	s.mu.Unlock()

	return decide(l, allowed, tat, now, int64(interval), time.Nanosecond), nil
}

// Len returns how many keys m holds now, stale ones included.
func (m *Memory) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += len(s.tats)
		s.mu.Unlock()
	}
	return n
}

// allowLocked applies one request at now to key and returns the key's TAT
// afterwards and whether the request is allowed.
func (s *memoryShard) allowLocked(key string, now, interval, burst int64) (int64, bool) {
	old, ok := s.tats[key]
	if !ok {
		old = now
	}
	tat, allowed := gcra(old, now, interval, burst)
	if !allowed {
		return tat, false
	}
	if !ok {
		s.makeRoomLocked(now)
	}
	s.tats[key] = tat
	return tat, true
}

// makeRoomLocked readies the shard for one more key: it drops the stale
// entries among a few it samples and, when the shard is still full, evicts
// the sampled entry with the smallest TAT. Go starts each range over a map
// at a random place, which makes the first entries a random sample.
func (s *memoryShard) makeRoomLocked(now int64) {
	full := len(s.tats) >= s.max
	sample := sweepSample
	if full {
		sample = evictSample
	}

	var oldest string
	oldestTAT := int64(math.MaxInt64)
	for key, tat := range s.tats {
		if tat <= now {
			delete(s.tats, key)
		} else if tat < oldestTAT {
			oldest, oldestTAT = key, tat
		}
		if sample--; sample == 0 {
			break
		}
	}

	if len(s.tats) >= s.max {
		delete(s.tats, oldest)
	}
}
