package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// gcraScript is GCRA in one step on the server, so that nodes sharing a key
// never race. KEYS[1] holds the TAT in microseconds since the Unix epoch.
// ARGV: the interval and the burst (the interval in microseconds), and the
// time now in microseconds, or "" to read the server's clock; "1" as ARGV[4]
// only peeks: it answers without counting the request.
// It returns {allowed (1 or 0), TAT after the request, now}. The key expires
// when its TAT passes, so a stale key never takes room.
//
// Microseconds keep every number below 2^53, where Lua's doubles are exact;
// the TAT is formatted by hand because Redis before 7 turns a Lua number
// into a string with only 14 significant digits.
// Reading TIME before a write needs Redis 5 or later (effects replication).
const gcraScript = `
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then
  tat = now
end
if tat + interval - burst * interval > now then
  return {0, tat, now}
end

if ARGV[4] == '1' then
  return {1, tat, now}
end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
return {1, tat, now}
`

// Redis is a Limiter that keeps the TAT of each key in Redis, under the
// prefix given to NewRedis, so that several nodes share one limit. Each
// Allow is one EVALSHA of a Lua script, atomic on the server. Every key
// expires when its TAT passes, so Redis holds only keys that still limit.
type Redis struct {
	client redis.Scripter
	prefix string
	now    func() time.Time
	script *redis.Script
}

var _ Limiter = (*Redis)(nil)

// NewRedis returns a Redis limiter that stores key under prefix+key through
// client (a *redis.Client, or a ring or cluster client: the script touches
// one key).
//
// With now nil, the time is the Redis server's clock (TIME), which all nodes
// share however skewed their own clocks are: use that in production. A
// non-nil now is sent with each request instead, for tests that move time.
func NewRedis(client redis.Scripter, prefix string, now func() time.Time) *Redis {
	return &Redis{
		client: client,
		prefix: prefix,
		now:    now,
		script: redis.NewScript(gcraScript),
	}
}

// Allow counts one request for key against l, if l lets it through. An error
// means Redis could not answer; the caller chooses to fail open or closed.
func (r *Redis) Allow(ctx context.Context, key string, l Limit) (Decision, error) {
	return r.run(ctx, key, l, "0")
}

// Peek answers as Allow would, without counting the request.
func (r *Redis) Peek(ctx context.Context, key string, l Limit) (Decision, error) {
	return r.run(ctx, key, l, "1")
}

func (r *Redis) run(ctx context.Context, key string, l Limit, peek string) (Decision, error) {
	interval, err := l.interval()
	if err != nil {
		return Decision{}, err
	}
	micros := interval.Microseconds()
	now := ""
	if r.now != nil {
		now = strconv.FormatInt(r.now().UnixMicro(), 10)
	}

	reply, err := r.script.Run(ctx, r.client, []string{r.prefix + key},
		micros, l.Burst, now, peek).Int64Slice()
	if err != nil {
		return Decision{}, fmt.Errorf("run rate limit script: %w", err)
	}
	if len(reply) != 3 {
		return Decision{}, fmt.Errorf("run rate limit script: %d values, want 3", len(reply))
	}
	return decide(l, reply[0] == 1, reply[1], reply[2], micros, time.Microsecond), nil
}
