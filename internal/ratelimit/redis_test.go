package ratelimit

import (
	"context"
	"crypto/rand"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// mustRedis returns a client for AJANS_TEST_REDIS_URL and a key prefix of
// the test's own; it skips the test when the variable is unset, and deletes
// the prefix's keys and closes the client when the test ends.
func mustRedis(tb testing.TB) (*redis.Client, string) {
	tb.Helper()
	url := os.Getenv("AJANS_TEST_REDIS_URL")
	if url == "" {
		tb.Skip("AJANS_TEST_REDIS_URL not set; skipping Redis limiter tests")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("parse AJANS_TEST_REDIS_URL: %v", err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(context.Background()).Err(); err != nil {
		client.Close()
		tb.Fatalf("ping Redis: %v", err)
	}

	prefix := "ajans-test:ratelimit:" + rand.Text() + ":"
	tb.Cleanup(func() {
		deletePrefix(tb, client, prefix)
		client.Close()
	})
	return client, prefix
}

// deletePrefix deletes every key under prefix.
func deletePrefix(tb testing.TB, client *redis.Client, prefix string) {
	tb.Helper()
	ctx := context.Background()
	iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		if err := client.Del(ctx, iter.Val()).Err(); err != nil {
			tb.Errorf("delete %s: %v", iter.Val(), err)
		}
	}
	if err := iter.Err(); err != nil {
		tb.Errorf("scan %s*: %v", prefix, err)
	}
}

func TestRedis(t *testing.T) {
	testLimiter(t, func(t *testing.T) (Limiter, *fakeClock) {
		client, prefix := mustRedis(t)
		c := newFakeClock()
		return NewRedis(client, prefix, c.Now), c
	})
}

func TestRedisStoresTheTATAndExpiresIt(t *testing.T) {
	ctx := context.Background()
	client, prefix := mustRedis(t)
	c := newFakeClock()
	r := NewRedis(client, prefix, c.Now)

	tests := []struct {
		name     string
		requests int
		tat      time.Duration // after the requests, from now
	}{
		{"OneRequest", 1, time.Second},
		{"TenMore", 10, 11 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range tt.requests {
				mustAllow(t, r, "app", perMinute)
			}

			// The TAT is exact to the microsecond, and the key lives no longer.
			got, err := client.Get(ctx, prefix+"app").Result()
			if err != nil {
				t.Fatalf("get TAT: %v", err)
			}
			want := strconv.FormatInt(c.Now().Add(tt.tat).UnixMicro(), 10)
			if got != want {
				t.Errorf("stored TAT %s, want %s", got, want)
			}
			ttl, err := client.PTTL(ctx, prefix+"app").Result()
			if err != nil {
				t.Fatalf("PTTL: %v", err)
			}
			if ttl <= 0 || ttl > tt.tat {
				t.Errorf("key expires in %v, want within (0, %v]", ttl, tt.tat)
			}
		})
	}
}

func TestRedisServerClock(t *testing.T) {
	client, prefix := mustRedis(t)
	r := NewRedis(client, prefix, nil)
	slow := Limit{PerMinute: 1, Burst: 3}

	exhaust(t, r, "app", slow)
	d := mustAllow(t, r, "app", slow)
	if d.Allowed || d.RetryAfter <= 50*time.Second || d.RetryAfter > time.Minute {
		t.Errorf("fourth request: %+v; want refused, retry within (50s, 1m]", d)
	}
}

func TestRedisReportsErrors(t *testing.T) {
	client, prefix := mustRedis(t)
	r := NewRedis(client, prefix, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Allow(ctx, "app", perMinute); err == nil {
		t.Error("Allow with a cancelled context succeeded, want an error")
	}
}

// BenchmarkRedisAllow measures one Allow against AJANS_TEST_REDIS_URL on the
// server's clock, for one key and from all cores at once.
func BenchmarkRedisAllow(b *testing.B) {
	client, prefix := mustRedis(b)
	ctx := context.Background()
	keys := benchKeys(1 << 10)

	b.Run("OneKey", func(b *testing.B) {
		r := NewRedis(client, prefix, nil)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Allow(ctx, "app", perMinute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ParallelManyKeys", func(b *testing.B) {
		r := NewRedis(client, prefix, nil)
		var worker atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := int(worker.Add(1)) * 7919
			for pb.Next() {
				if _, err := r.Allow(ctx, keys[i&(len(keys)-1)], perMinute); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}
