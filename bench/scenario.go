package main

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// subject is one server under load: the floor, or ajans on one database.
type subject struct {
	name string
	proc *child
	load workload
}

// database is one database ajans runs on in this run, seeded once.
type database struct {
	name    string // "sqlite" or "postgres"
	url     string // "" for SQLite
	dataDir string
	tokens  []string
}

// bench holds what the whole run shares.
type bench struct {
	o     options
	tmp   string
	exe   string // the ajans binary
	dbs   []database
	l     *loader
	progr func(format string, args ...any)

	modelURL string // the mock model now running, without /v1
}

// delayRun is what one mock delay measured, per subject name.
type delayRun struct {
	delay   time.Duration
	names   []string
	steps   map[string][]*result // sendMessage at each fixed rate
	newChat map[string]*result   // newChat at the highest fixed rate (first delay only)
	max     map[string]*searchResult
	peakRSS map[string]int64 // the process's peak so far, after the fixed rates; <0 unknown
}

// runAll runs every step and the memory test into rep.
func (b *bench) runAll(ctx context.Context, rep *report) error {
	var err error
	if rep.delays, err = b.measureAll(ctx); err != nil {
		return err
	}
	if b.o.inflight > 0 {
		rep.memory, err = b.memoryTest(ctx)
	}
	return err
}

// measureAll runs the fixed-rate steps at every delay against one set of
// processes, then, at the first delay, newChat and the rate search. The
// chats started once at the start serve every step.
func (b *bench) measureAll(ctx context.Context) ([]*delayRun, error) {
	subjects, stop, err := b.startAll(ctx, b.o.apps*b.o.chatsPerApp)
	if err != nil {
		return nil, err
	}
	defer stop()
	var runs []*delayRun
	for _, d := range b.o.delays {
		run, err := b.fixedRates(ctx, subjects, d)
		if err != nil {
			return nil, err
		}
		runs = append(runs, run)
	}
	first := runs[0]
	if err := b.setDelay(first.delay); err != nil {
		return nil, err
	}
	top := b.o.rates[len(b.o.rates)-1]
	for _, s := range subjects {
		r := b.measure(ctx, s, top, b.o.duration, s.load.open)
		b.progr("mock %-6s newChat     %5.0f/s  %-8s %s", span(first.delay), top, s.name,
			line(r))
		first.newChat[s.name] = r
	}
	if b.o.search {
		for _, s := range subjects {
			first.max[s.name] = b.search(ctx, s, top)
		}
	}
	return runs, ctx.Err()
}

// fixedRates runs sendMessage at each fixed rate against a mock that
// waits d, the subjects in turn at each rate, so that a noisy neighbour
// hurts them alike.
func (b *bench) fixedRates(ctx context.Context, subjects []subject, d time.Duration) (
	*delayRun, error) {
	if err := b.setDelay(d); err != nil {
		return nil, err
	}
	run := &delayRun{delay: d, steps: map[string][]*result{}, newChat: map[string]*result{},
		max: map[string]*searchResult{}, peakRSS: map[string]int64{}}
	for _, s := range subjects {
		run.names = append(run.names, s.name)
	}
	for _, rate := range b.o.rates {
		for _, s := range subjects {
			r := b.measure(ctx, s, rate, b.o.duration, s.load.send)
			b.progr("mock %-6s sendMessage %5.0f/s  %-8s %s", span(d), rate, s.name, line(r))
			run.steps[s.name] = append(run.steps[s.name], r)
		}
	}
	for _, s := range subjects {
		run.peakRSS[s.name] = peakRSS(s.proc)
	}
	return run, ctx.Err()
}

// setDelay tells the mock model how long to wait before each answer.
func (b *bench) setDelay(d time.Duration) error {
	resp, err := http.PostForm(b.modelURL+delayPath, url.Values{"d": {d.String()}})
	if err != nil {
		return fmt.Errorf("set the mock delay: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("set the mock delay: status %d", resp.StatusCode)
	}
	return nil
}

// startAll starts the mock model (answering at once), the floor and ajans
// on each database, and starts chats chats on each. stop ends them all.
func (b *bench) startAll(ctx context.Context, chats int) (
	subjects []subject, stop func(), err error) {
	var procs []*child
	stop = func() {
		for i := len(procs) - 1; i >= 0; i-- {
			procs[i].stop()
		}
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	model, err := startServer("mock", b.tmp, cmdMock)
	if err != nil {
		return nil, nil, err
	}
	procs = append(procs, model)
	b.modelURL = strings.TrimSuffix(model.url, "/v1")
	floor, err := startServer("floor", b.tmp, cmdFloor, "-upstream", b.modelURL)
	if err != nil {
		return nil, nil, err
	}
	procs = append(procs, floor)
	fl, err := newFloorLoad(floor.url, chats, b.o.message)
	if err != nil {
		return nil, nil, err
	}
	subjects = append(subjects, subject{"floor", floor, fl})

	for _, db := range b.dbs {
		c, err := startAjans(ctx, db.name, b.tmp, b.exe, db.dataDir, db.url, model.url)
		if err != nil {
			return nil, nil, err
		}
		procs = append(procs, c)
		subjects = append(subjects, subject{db.name, c,
			newAjansLoad(c.url, db.tokens, chats, b.o.message)})
	}
	for _, s := range subjects {
		if err := s.load.prepare(b.l); err != nil {
			return nil, nil, fmt.Errorf("%s: start chats: %w", s.name, err)
		}
	}
	return subjects, stop, nil
}

// measure runs one open-loop step against s and notes the CPU time s used.
func (b *bench) measure(ctx context.Context, s subject, rate float64, dur time.Duration,
	next func() *http.Request) *result {
	sleep(ctx, 300*time.Millisecond) // let the last step's stragglers settle
	before, err1 := cpuTime(s.proc.pid())
	r := b.l.openLoop(ctx, rate, dur, next)
	r.name = s.name
	after, err2 := cpuTime(s.proc.pid())
	if err1 == nil && err2 == nil {
		r.cpu = after - before
	}
	return r
}

// line is one step's figures for the progress log.
func line(r *result) string {
	s := fmt.Sprintf("ok %d/%d  %.0f/s  p50 %s  p90 %s  p99 %s  lag p99 %s", r.ok, r.sent,
		r.achieved(), ms(pct(r.lat, 50)), ms(pct(r.lat, 90)), ms(pct(r.lat, 99)),
		ms(pct(r.lag, 99)))
	if c := r.cpuPerRequest(); c >= 0 {
		s += fmt.Sprintf("  cpu/req %s", us(c))
	}
	if len(r.codes) > 0 {
		s += fmt.Sprintf("  other %v", r.codes)
	}
	return s
}

// peakRSS returns the most memory the process has held, or -1.
func peakRSS(c *child) int64 {
	_, peak, err := memory(c.pid())
	if err != nil {
		return -1
	}
	return peak
}

// searchResult is the highest rate a subject sustained.
type searchResult struct {
	rate   float64 // 0 when not even the lowest probe passed
	at     *result // the probe at that rate
	probes int
	note   string
}

// sustained reports whether a step kept up: at most 1% without a 200, at
// least 95% of the offered rate answered, and p99 within the bound.
func (b *bench) sustained(r *result) bool {
	return r.failed()*100 <= r.sent && r.achieved() >= 0.95*r.rate &&
		pct(r.lat, 99) <= b.o.bound
}

// onlyTail reports whether a step failed only its p99 while its median
// stayed far below the bound: a spike from elsewhere on the machine rather
// than a server falling behind.
func (b *bench) onlyTail(r *result) bool {
	return r.failed()*100 <= r.sent && r.achieved() >= 0.95*r.rate &&
		pct(r.lat, 50) <= b.o.bound/5
}

// search finds the highest sendMessage rate s sustains: up from start by
// half again each probe until one fails (down by halves if start fails),
// then bisecting until the bounds are within 10%.
func (b *bench) search(ctx context.Context, s subject, start float64) *searchResult {
	out := &searchResult{}
	probe := func(rate float64) bool {
		r := b.measure(ctx, s, rate, b.o.probe, s.load.send)
		out.probes++
		ok := b.sustained(r)
		b.progr("search %-8s %6.0f/s  %-4s %s", s.name, rate, verdict(ok), line(r))
		if !ok && b.onlyTail(r) {
			// A lone spike in the tail, not overload: look once more.
			r = b.measure(ctx, s, rate, b.o.probe, s.load.send)
			out.probes++
			ok = b.sustained(r)
			b.progr("search %-8s %6.0f/s  %-4s %s (again)", s.name, rate, verdict(ok), line(r))
		}
		if r.codes[http.StatusTooManyRequests] > 0 {
			out.note = "the app rate limit refused some probes: add -apps"
		}
		if ok && rate > out.rate {
			out.rate, out.at = rate, r
		}
		sleep(ctx, time.Second)
		return ok
	}
	lo, hi := findBounds(ctx, start, probe)
	for hi > 0 && lo > 0 && hi/lo > 1.1 && ctx.Err() == nil {
		mid := math.Round(math.Sqrt(lo * hi))
		if probe(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return out
}

// findBounds returns a rate that passed and, above it, one that failed (0
// when every probe up to maxRate passed).
func findBounds(ctx context.Context, start float64, probe func(float64) bool) (lo, hi float64) {
	const maxRate, minRate = 50_000, 10
	r := start
	for ctx.Err() == nil {
		if !probe(r) {
			hi = r
			break
		}
		lo = r
		if r *= 1.5; r > maxRate {
			return lo, 0
		}
	}
	for lo == 0 && ctx.Err() == nil && hi > minRate {
		if r = math.Round(hi / 2); probe(r) {
			lo = r
		} else {
			hi = r
		}
	}
	return lo, hi
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "over"
}

// ms formats d in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", d.Seconds()*1000) }

// us formats d in microseconds.
func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", d.Seconds()*1e6) }

// progress writes a progress line to stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}
