package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The part of RESULTS.md a run writes lies between these marks; notes
// outside them (profiles, before and after figures) survive the next run.
const (
	markBegin = "<!-- bench:begin: written by `go run ./bench`; edit outside these marks -->"
	markEnd   = "<!-- bench:end -->"
)

// report is everything a run measured.
type report struct {
	o        options
	command  string
	started  time.Time
	took     time.Duration
	delays   []*delayRun
	memory   []*memoryRun
	machine  string
	subjects []string

	loadBefore, loadAfter string  // the machine's load averages
	busy, steal           float64 // shares of the machine's CPU time during the run; <0 unknown
}

// write writes the report as Markdown.
func (r *report) write(w io.Writer) {
	fmt.Fprintf(w, "## Run of %s\n\n", r.started.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "`%s`  \n%d cores (GOMAXPROCS %d), %s, %s/%s, %s; the run took %s.\n\n",
		r.command, runtime.NumCPU(), runtime.GOMAXPROCS(0), r.machine, runtime.GOOS,
		runtime.GOARCH, runtime.Version(), r.took.Round(time.Second))
	fmt.Fprintf(w, "Measured on a noisy shared machine: the load generator, the mock model, "+
		"the floor and ajans share these cores, and other work ran beside them (load "+
		"average %s before the run, %s after; %s). Read the figures as ratios to the "+
		"floor and as per-request costs, not as capacity.\n\n", r.loadBefore, r.loadAfter,
		r.cpuShares())
	r.summary(w)
	r.targets(w)
	for _, d := range r.delays {
		r.steps(w, d)
	}
	if len(r.delays) > 0 && len(r.delays[0].max) > 0 {
		r.maxRates(w, r.delays[0])
	}
	r.memoryTable(w)
}

// cpuShares says how busy the machine's CPUs were during the run, and
// how much time the hypervisor took from them.
func (r *report) cpuShares() string {
	if r.busy < 0 {
		return "CPU shares unknown"
	}
	return fmt.Sprintf("the CPUs were %.0f%% busy over the run, %.1f%% stolen by the hypervisor",
		100*r.busy, 100*r.steal)
}

// first returns the run at the first mock delay, where overhead shows most.
func (r *report) first() *delayRun {
	if len(r.delays) == 0 {
		return &delayRun{}
	}
	return r.delays[0]
}

// at returns the step of subject name at rate in d, or nil.
func (d *delayRun) at(name string, rate float64) *result {
	for _, s := range d.steps[name] {
		if s.rate == rate {
			return s
		}
	}
	return nil
}

// summary is one row per figure, one column per subject, at the first
// delay and the highest fixed rate.
func (r *report) summary(w io.Writer) {
	d := r.first()
	top := r.o.rates[len(r.o.rates)-1]
	at := fmt.Sprintf("at %.0f/s, mock %s", top, span(d.delay))
	fmt.Fprintf(w, "### Summary\n\n|  | %s |\n|---|%s\n", strings.Join(r.subjects, " | "),
		strings.Repeat("---|", len(r.subjects)))
	row := func(label string, cell func(name string) string) {
		cells := make([]string, len(r.subjects))
		for i, n := range r.subjects {
			cells[i] = cell(n)
		}
		fmt.Fprintf(w, "| %s | %s |\n", label, strings.Join(cells, " | "))
	}
	if len(d.max) > 0 {
		row(fmt.Sprintf("highest sendMessage rate with p99 ≤ %s, mock %s", span(r.o.bound),
			span(d.delay)), func(n string) string { return r.maxCell(d, n) })
	}
	row("p50 / p99 latency "+at, func(n string) string { return latencyCell(d.at(n, top)) })
	row("CPU per sendMessage "+at,
		func(n string) string { return r.cpuCell(d.at(n, top), d.at("floor", top)) })
	row(fmt.Sprintf("peak RSS over the fixed rates, mock %s", span(d.delay)),
		func(n string) string { return mib(d.peakRSS[n]) })
	if len(r.memory) > 0 {
		row(fmt.Sprintf("memory per chat in flight (%d at once, mock %s)", r.o.inflight,
			span(r.o.memDelay)), func(n string) string { return kib(r.memoryOf(n).perChat()) })
	}
	fmt.Fprintln(w)
}

// latencyCell is a step's p50 and p99.
func latencyCell(s *result) string {
	if s == nil {
		return "–"
	}
	return fmt.Sprintf("%s / %s ms", msf(pct(s.lat, 50)), msf(pct(s.lat, 99)))
}

func (r *report) memoryOf(name string) *memoryRun {
	for _, m := range r.memory {
		if m.name == name {
			return m
		}
	}
	return &memoryRun{}
}

func (r *report) maxCell(d *delayRun, name string) string {
	m := d.max[name]
	if m == nil || m.rate == 0 {
		return "–"
	}
	s := fmt.Sprintf("%.0f/s", m.rate)
	if f := d.max["floor"]; name != "floor" && f != nil && f.rate > 0 {
		s += fmt.Sprintf(" (%.2f× floor)", m.rate/f.rate)
	}
	return s
}

func (r *report) cpuCell(s, floor *result) string {
	if s == nil || s.cpuPerRequest() < 0 {
		return "n/a"
	}
	c := us(s.cpuPerRequest())
	if floor != nil && floor != s && floor.cpuPerRequest() > 0 {
		c += fmt.Sprintf(" (%.1f× floor)", float64(s.cpuPerRequest())/float64(floor.cpuPerRequest()))
	}
	return c
}

// targets holds the targets against ajans on SQLite.
func (r *report) targets(w io.Writer) {
	d := r.first()
	const rate = 500
	fmt.Fprintf(w, "### Targets (ajans on SQLite, mock %s)\n\n| target | measured | verdict |\n"+
		"|---|---|---|\n", span(d.delay))
	s, f := d.at("sqlite", rate), d.at("floor", rate)
	if s != nil && f != nil {
		for _, t := range []struct {
			p     float64
			limit time.Duration
		}{{50, 300 * time.Microsecond}, {99, 1500 * time.Microsecond}} {
			added := pct(s.lat, t.p) - pct(f.lat, t.p)
			fmt.Fprintf(w, "| adds at most %s ms p%.0f over the floor at %d/s | %s ms | %s |\n",
				msf(t.limit), t.p, rate, signed(added), overBy(added, t.limit, " ms", msf))
		}
	} else {
		fmt.Fprintf(w, "| latency added at %d/s | not measured: add %d to -rates | – |\n", rate, rate)
	}
	if m, fm := d.max["sqlite"], d.max["floor"]; m != nil && fm != nil && fm.rate > 0 {
		ratio := m.rate / fm.rate
		v := "met"
		if ratio < 0.5 {
			v = fmt.Sprintf("missed: %.0f/s short of %.0f/s", fm.rate/2-m.rate, fm.rate/2)
		}
		fmt.Fprintf(w, "| highest sustainable rate at least half the floor's | %.2f× | %s |\n",
			ratio, v)
	}
	if m := r.memoryOf("sqlite"); m.perChat() >= 0 {
		limit := int64(64 << 10)
		v := "met"
		if m.perChat() >= limit {
			v = fmt.Sprintf("missed by %s", kib(m.perChat()-limit))
		}
		fmt.Fprintf(w, "| memory per chat in flight under 64 KiB | %s | %s |\n", kib(m.perChat()), v)
	}
	fmt.Fprintln(w)
}

// overBy says whether got is within limit, and if not, by how much.
func overBy(got, limit time.Duration, unit string, f func(time.Duration) string) string {
	if got <= limit {
		return "met"
	}
	return "missed by " + f(got-limit) + unit
}

func (r *report) steps(w io.Writer, d *delayRun) {
	fmt.Fprintf(w, "### Fixed rates, mock delay %s\n\n", span(d.delay))
	fmt.Fprint(w, "Latency in ms from each request's scheduled time; \"added\" is the "+
		"subject's percentile less the floor's at the same rate.\n\n")
	fmt.Fprintln(w, "| call | rate/s | subject | answered/s | p50 | p90 | p99 | added p50 | "+
		"added p90 | added p99 | CPU/request | not 200 | generator lag p99 |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for i, rate := range r.o.rates {
		for _, n := range d.names {
			r.stepRow(w, "sendMessage", rate, d.steps[n][i], d.steps["floor"][i])
		}
	}
	top := r.o.rates[len(r.o.rates)-1]
	for _, n := range d.names {
		if s := d.newChat[n]; s != nil {
			r.stepRow(w, "newChat", top, s, d.newChat["floor"])
		}
	}
	fmt.Fprintln(w)
}

func (r *report) stepRow(w io.Writer, call string, rate float64, s, floor *result) {
	added := func(p float64) string {
		if s == floor {
			return "–"
		}
		return signed(pct(s.lat, p) - pct(floor.lat, p))
	}
	fmt.Fprintf(w, "| %s | %.0f | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		call, rate, s.name, s.achieved(), msf(pct(s.lat, 50)), msf(pct(s.lat, 90)),
		msf(pct(s.lat, 99)), added(50), added(90), added(99), r.cpuCell(s, floor),
		failures(s), msf(pct(s.lag, 99)))
}

func failures(r *result) string {
	if r.failed() == 0 {
		return "0"
	}
	var parts []string
	for code, n := range r.codes {
		what := fmt.Sprint(code)
		switch code {
		case codeDropped:
			what = "dropped"
		case codeFailed:
			what = "no answer"
		}
		parts = append(parts, fmt.Sprintf("%d × %s", n, what))
	}
	return strings.Join(parts, ", ")
}

func (r *report) maxRates(w io.Writer, d *delayRun) {
	fmt.Fprintf(w, "### Highest sustainable sendMessage rate, mock delay %s\n\n",
		span(d.delay))
	fmt.Fprintf(w, "Sustained: p99 ≤ %s from the scheduled time, at least 95%% of the offered "+
		"rate answered, at most 1%% not 200, over %s probes.\n\n", span(r.o.bound), r.o.probe)
	fmt.Fprintln(w, "| subject | rate/s | × floor | p50 | p99 | CPU/request | probes | note |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, n := range d.names {
		m := d.max[n]
		if m == nil || m.at == nil {
			fmt.Fprintf(w, "| %s | – | – | – | – | – | %d | none passed %s |\n", n, m.probes, m.note)
			continue
		}
		ratio := "–"
		if f := d.max["floor"]; n != "floor" && f != nil && f.rate > 0 {
			ratio = fmt.Sprintf("%.2f", m.rate/f.rate)
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %s | %s | %d | %s |\n", n, m.rate, ratio,
			msf(pct(m.at.lat, 50)), msf(pct(m.at.lat, 99)), r.cpuCell(m.at, nil), m.probes, m.note)
	}
	fmt.Fprintln(w)
}

func (r *report) memoryTable(w io.Writer) {
	if len(r.memory) == 0 {
		return
	}
	fmt.Fprintf(w, "### Memory with %d chats in flight, mock delay %s\n\n", r.o.inflight,
		span(r.o.memDelay))
	fmt.Fprintf(w, "All requests are sent at once, each to a chat of its own; per chat = "+
		"(peak RSS − idle RSS) / requests. The message is %d bytes. \"Model had open at "+
		"once\" is how many reached the mock together; the others were queued in the "+
		"server or already answered.\n\n", len(r.o.message))
	fmt.Fprintln(w, "| subject | idle RSS | peak RSS | per chat | model had open at once | "+
		"answered | took |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, m := range r.memory {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %d/%d | %s |\n", m.name, mib(m.idle),
			mib(m.peak), kib(m.perChat()), m.modelPeak, m.ok, m.n, m.wall.Round(time.Millisecond))
	}
	fmt.Fprintln(w)
}

// splice returns old with the part between the marks replaced by body, or
// body with the marks appended to old when it has none.
func splice(old, body string) string {
	block := markBegin + "\n" + body + markEnd + "\n"
	i := strings.Index(old, markBegin)
	j := strings.Index(old, markEnd)
	if i < 0 || j < i {
		if old != "" && !strings.HasSuffix(old, "\n\n") {
			old = strings.TrimRight(old, "\n") + "\n\n"
		}
		return old + block
	}
	rest := old[j+len(markEnd):]
	rest = strings.TrimPrefix(rest, "\n")
	return old[:i] + block + rest
}

// writeResults puts body into the file at path between the marks.
func writeResults(path, body string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.WriteFile(path, []byte(splice(string(old), body)), 0o644)
}

// span formats a delay or bound in milliseconds.
func span(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds()*1000, 'f', -1, 64) + " ms"
}

// msf formats d in milliseconds, without a unit.
func msf(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()*1000) }

// signed formats d in milliseconds with its sign.
func signed(d time.Duration) string { return fmt.Sprintf("%+.2f", d.Seconds()*1000) }

// mib formats bytes in MiB.
func mib(b int64) string {
	if b < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

// kib formats bytes in KiB.
func kib(b int64) string {
	if b < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
}

// cpuModel returns the processor's name, from /proc/cpuinfo where there is one.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown processor"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if name, value, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown processor"
}
