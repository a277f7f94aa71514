package main

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// memoryRun is what a burst of chats in flight cost one subject.
type memoryRun struct {
	name       string
	n          int   // requests fired at once
	ok         int   // answered 200
	idle, peak int64 // resident memory before, and the most during, in bytes
	modelPeak  int64 // the most requests the mock model had open at once
	wall       time.Duration
}

// perChat returns the memory one chat in flight took, in bytes, or -1.
func (m *memoryRun) perChat() int64 {
	if m.idle <= 0 || m.peak <= 0 || m.n == 0 {
		return -1
	}
	return (m.peak - m.idle) / int64(m.n)
}

// memoryTest starts fresh processes, then fires o.inflight sendMessage
// calls at once, each to a chat of its own (and an app of its own while
// o.inflight ≤ o.apps), against the mock
// waiting o.memDelay, and measures each subject's resident memory before
// and during.
func (b *bench) memoryTest(ctx context.Context) ([]*memoryRun, error) {
	subjects, stop, err := b.startAll(ctx, b.o.inflight)
	if err != nil {
		return nil, err
	}
	defer stop()
	if err := b.setDelay(b.o.memDelay); err != nil {
		return nil, err
	}
	var runs []*memoryRun
	for _, s := range subjects {
		m := b.burst(ctx, s)
		b.progr("memory %-8s %d in flight (model saw %d at once): idle %s, peak %s, "+
			"%s a chat, %d ok in %s", s.name, m.n, m.modelPeak, mib(m.idle), mib(m.peak),
			kib(m.perChat()), m.ok, m.wall.Round(time.Millisecond))
		runs = append(runs, m)
	}
	return runs, ctx.Err()
}

// burst measures one subject: idle memory after its chats were started,
// then the peak while all requests are open at once.
func (b *bench) burst(ctx context.Context, s subject) *memoryRun {
	m := &memoryRun{name: s.name, n: b.o.inflight}
	reqs := make([]*http.Request, m.n)
	for i := range reqs {
		reqs[i] = s.load.send()
	}
	sleep(ctx, time.Second)
	if rss, _, err := memory(s.proc.pid()); err == nil {
		m.idle = rss
	} else {
		m.idle = -1
	}
	b.modelPeak() // starts the model's count again

	sampled := make(chan int64)
	done := make(chan struct{})
	go sampleRSS(s.proc.pid(), done, sampled)
	start := time.Now()
	var ok atomic.Int64
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for _, req := range reqs {
		wg.Go(func() {
			<-gate
			if b.l.do(req.WithContext(ctx), nil) == http.StatusOK {
				ok.Add(1)
			}
		})
	}
	close(gate)
	wg.Wait()
	m.wall = time.Since(start)
	close(done)
	m.peak, m.ok = <-sampled, int(ok.Load())
	m.modelPeak = b.modelPeak()
	return m
}

// sampleRSS reads the resident memory of pid every 2 ms until done closes,
// then sends the most it saw (-1 when it could not read it).
func sampleRSS(pid int, done <-chan struct{}, out chan<- int64) {
	most := int64(-1)
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		if rss, _, err := memory(pid); err == nil {
			most = max(most, rss)
		}
		select {
		case <-done:
			out <- most
			return
		case <-t.C:
		}
	}
}

// modelPeak asks the mock model how many requests it had open at once
// since it was last asked, or -1.
func (b *bench) modelPeak() int64 {
	resp, err := http.Get(b.modelURL + peakPath)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var n int64
	if json.NewDecoder(resp.Body).Decode(&n) != nil {
		return -1
	}
	return n
}
