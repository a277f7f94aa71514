package ratelimit

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemory(t *testing.T) {
	testLimiter(t, func(t *testing.T) (Limiter, *fakeClock) {
		c := newFakeClock()
		return NewMemory(1000, c.Now), c
	})
}

func TestMemoryNeverHoldsMoreThanMaxKeys(t *testing.T) {
	for _, maxKeys := range []int{1, 7, 100, 1000} {
		t.Run(strconv.Itoa(maxKeys), func(t *testing.T) {
			c := newFakeClock()
			m := NewMemory(maxKeys, c.Now)

			// The clock stands still, so every key stays live and must be evicted.
			for i := range 10 * maxKeys {
				d := mustAllow(t, m, "key-"+strconv.Itoa(i), perMinute)
				if !d.Allowed {
					t.Fatalf("fresh key %d refused: %+v", i, d)
				}
				if n := m.Len(); n > maxKeys {
					t.Fatalf("after %d keys Memory holds %d, more than %d", i+1, n, maxKeys)
				}
			}
			if n := m.Len(); n != maxKeys {
				t.Errorf("Memory holds %d keys, want it full at %d", n, maxKeys)
			}
		})
	}
}

func TestMemoryDropsStaleKeys(t *testing.T) {
	c := newFakeClock()
	m := NewMemory(100_000, c.Now)

	// Each key's TAT passes a second later, when the next key arrives.
	for i := range 10_000 {
		mustAllow(t, m, "key-"+strconv.Itoa(i), perMinute)
		c.Advance(time.Second)
	}
	if n := m.Len(); n > len(m.shards) {
		t.Errorf("Memory holds %d stale keys, want at most one a shard (%d)", n, len(m.shards))
	}
}

func TestMemoryEvictedKeyGetsAFreshBurst(t *testing.T) {
	c := newFakeClock()
	m := NewMemory(1, c.Now)
	exhaust(t, m, "app-a", perMinute)
	mustAllow(t, m, "app-b", perMinute)

	// app-a was evicted to make room for app-b: its burst starts again.
	exhaust(t, m, "app-a", perMinute)
}

func TestMemoryEvictsTheSmallestTAT(t *testing.T) {
	tests := []struct {
		name string
		tats map[string]int64
		want []string
	}{
		{"LiveKeys", map[string]int64{"a": 30, "b": 10, "c": 50}, []string{"a", "c"}},
		{"StaleKeysFirst", map[string]int64{"a": 30, "b": 2, "c": 3}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &memoryShard{tats: tt.tats, max: 3}
			s.makeRoomLocked(5)
			for _, key := range tt.want {
				if _, ok := s.tats[key]; !ok {
					t.Errorf("key %q evicted; left %v", key, s.tats)
				}
			}
			if len(s.tats) != len(tt.want) {
				t.Errorf("left %v, want keys %q", s.tats, tt.want)
			}
		})
	}
}

func TestShardCount(t *testing.T) {
	tests := []struct {
		name           string
		maxKeys, procs int
		want           int
	}{
		{"OneCore", 1 << 20, 1, 8},
		{"TwoCores", 1 << 20, 2, 8},
		{"SixCores", 1 << 20, 6, 32},
		{"ManyCores", 1 << 20, 512, 1024},
		{"FewKeys", 5, 64, 4},
		{"OneKey", 1, 64, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shardCount(tt.maxKeys, tt.procs); got != tt.want {
				t.Errorf("shardCount(%d, %d) = %d, want %d", tt.maxKeys, tt.procs, got, tt.want)
			}
		})
	}
}

func TestMemoryAllowDoesNotAllocateForAKnownKey(t *testing.T) {
	c := newFakeClock()
	m := NewMemory(1000, c.Now)
	mustAllow(t, m, "app", perMinute)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := m.Allow(context.Background(), "app", perMinute); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Allow for a known key allocates %v times, want 0", allocs)
	}
}

// BenchmarkMemoryAllow measures one Allow on the real clock: for one key,
// for keys spread over a large table, and from all cores at once.
func BenchmarkMemoryAllow(b *testing.B) {
	ctx := context.Background()
	keys := benchKeys(1 << 16)

	b.Run("OneKey", func(b *testing.B) {
		m := NewMemory(1<<20, nil)
		b.ReportAllocs()
		for b.Loop() {
			_, _ = m.Allow(ctx, "app", perMinute)
		}
	})
	b.Run("ManyKeys", func(b *testing.B) {
		m := NewMemory(1<<20, nil)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_, _ = m.Allow(ctx, keys[i&(len(keys)-1)], perMinute)
			i++
		}
	})
	b.Run("ParallelOneKey", func(b *testing.B) {
		m := NewMemory(1<<20, nil)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = m.Allow(ctx, "app", perMinute)
			}
		})
	})
	b.Run("ParallelManyKeys", func(b *testing.B) {
		m := NewMemory(1<<20, nil)
		var worker atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := int(worker.Add(1)) * 7919
			for pb.Next() {
				_, _ = m.Allow(ctx, keys[i&(len(keys)-1)], perMinute)
				i++
			}
		})
	})
}

// benchKeys returns n distinct app-token-like keys.
func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "app-token-" + strconv.Itoa(i)
	}
	return keys
}
