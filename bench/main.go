// Command bench measures what ajans adds to a model call, side by side with
// the floor: a plain httputil.ReverseProxy to the same mock model.
//
//	go run ./bench [flags]
//
// It builds ajans, seeds a business user with many funded apps (so that the
// per-app rate limit is not what is measured), and starts on loopback, each
// as a process of its own: the mock model with a fixed delay, the floor, and
// `ajans serve` on SQLite and, when AJANS_BENCH_DATABASE_URL names a
// PostgreSQL server, on PostgreSQL in a schema of its own. It then drives
// sendMessage (and newChat) with an open-loop load generator at fixed
// rates, searches for the highest rate each sustains with p99 under a
// bound, fires many chats at once against the slow mock to measure memory
// per chat in flight, and writes a Markdown report to bench/RESULTS.md,
// between marks that keep notes around them.
//
// Flags:
//
//	-duration 6s         length of each fixed-rate step
//	-rates 100,250,500   sendMessage rates a second, run at every delay
//	-delay 0,200ms       the mock model's delays; the first also gets the
//	                     newChat step and the search for the highest rate
//	-probe 3s            length of each probe of that search
//	-bound 50ms          the p99 a sustained rate must stay within
//	-search=true         search for the highest sustainable rate
//	-inflight 1000       chats in flight in the memory test (0 skips it)
//	-memory-delay 200ms  the mock model's delay in the memory test
//	-apps 1000           apps seeded, each with its own token
//	-chats-per-app 2     chats each app starts and sendMessage goes to
//	-message TEXT        the message sent
//	-skip-postgres       leave PostgreSQL out even when it is configured
//	-out bench/RESULTS.md  where the report goes, relative to the module
//	                     root; "-" prints it only
//	-quick               a rough run: 2 s steps, 1.5 s probes
//	-keep                keep the temporary folder (logs, databases)
//	-ajans PATH          measure this ajans binary instead of building
//	                     ./cmd/ajans (to compare two builds)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// envPostgres names the PostgreSQL server the bench may use.
const envPostgres = "AJANS_BENCH_DATABASE_URL"

// options are the bench's settings.
type options struct {
	duration, probe, bound, memDelay time.Duration
	rates                            []float64
	delays                           []time.Duration
	search, skipPostgres, quick      bool
	keep                             bool
	inflight, apps, chatsPerApp      int
	message, out, pgURL, ajansBinary string
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case cmdMock:
			exitOn(runMock(os.Args[2:]))
			return
		case cmdFloor:
			exitOn(runFloor(os.Args[2:]))
			return
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o, err := parseFlags(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	exitOn(run(ctx, o))
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// parseFlags reads the options from args and the environment.
func parseFlags(args []string, getenv func(string) string) (options, error) {
	o := options{pgURL: getenv(envPostgres)}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 6*time.Second, "length of each fixed-rate step")
	rates := fs.String("rates", "100,250,500", "sendMessage rates a second, at every delay")
	delays := fs.String("delay", "0,200ms", "the mock model's delays; the first gets the search")
	fs.DurationVar(&o.probe, "probe", 3*time.Second, "length of each probe of the rate search")
	fs.DurationVar(&o.bound, "bound", 50*time.Millisecond, "p99 bound of a sustained rate")
	fs.BoolVar(&o.search, "search", true, "search for the highest sustainable rate")
	fs.IntVar(&o.inflight, "inflight", 1000, "chats in flight in the memory test (0 skips it)")
	fs.DurationVar(&o.memDelay, "memory-delay", 200*time.Millisecond, "mock delay, memory test")
	fs.IntVar(&o.apps, "apps", 1000, "apps seeded, each with its own token")
	fs.IntVar(&o.chatsPerApp, "chats-per-app", 2, "chats each app starts for sendMessage")
	fs.StringVar(&o.message, "message", "Python ile REST API yaz: kayıt, giriş ve profil "+
		"uçları olsun; PostgreSQL kullan ve testleri de ekle.", "the message sent")
	fs.BoolVar(&o.skipPostgres, "skip-postgres", false, "leave PostgreSQL out")
	fs.StringVar(&o.out, "out", "bench/RESULTS.md",
		`report file, relative to the module root; "-" prints only`)
	fs.BoolVar(&o.quick, "quick", false, "a rough run: 2 s steps, 1.5 s probes")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary folder")
	fs.StringVar(&o.ajansBinary, "ajans", "", "measure this ajans binary instead of building one")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["duration"] {
			o.duration = 2 * time.Second
		}
		if !set["probe"] {
			o.probe = 1500 * time.Millisecond
		}
	}
	var err error
	if o.rates, err = parseRates(*rates); err != nil {
		return o, err
	}
	if o.delays, err = parseDelays(*delays); err != nil {
		return o, err
	}
	return o, o.check()
}

func (o options) check() error {
	switch {
	case o.duration <= 0 || o.probe <= 0 || o.bound <= 0:
		return errors.New("-duration, -probe and -bound must be positive")
	case o.apps < 1 || o.chatsPerApp < 1:
		return errors.New("-apps and -chats-per-app must be at least 1")
	case o.inflight < 0 || o.inflight > 60*o.apps:
		return fmt.Errorf("-inflight must be from 0 to 60 × -apps (%d)", 60*o.apps)
	case strings.TrimSpace(o.message) == "":
		return errors.New("-message must not be empty")
	}
	return nil
}

func parseRates(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || r <= 0 {
			return nil, fmt.Errorf("-rates: %q is not a positive number", f)
		}
		if len(out) > 0 && r <= out[len(out)-1] {
			return nil, errors.New("-rates must go up")
		}
		out = append(out, r)
	}
	return out, nil
}

func parseDelays(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("-delay: %q is not a duration", f)
		}
		out = append(out, d)
	}
	return out, nil
}

// run builds and seeds everything, measures, and writes the report.
func run(ctx context.Context, o options) error {
	started, load, window := time.Now(), loadAverage(), startCPUWindow()
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "ajans-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		progress("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	b := &bench{o: o, tmp: tmp, l: newLoader(5000), progr: progress}
	if b.exe = o.ajansBinary; b.exe == "" {
		progress("building ajans")
		if b.exe, err = buildAjans(ctx, root, tmp); err != nil {
			return err
		}
	}
	cleanup, err := b.seedAll(ctx)
	defer cleanup()
	if err != nil {
		return err
	}

	rep := &report{o: o, command: command(), started: started, machine: cpuModel(),
		loadBefore: load, subjects: []string{"floor"}}
	for _, db := range b.dbs {
		rep.subjects = append(rep.subjects, db.name)
	}
	if err := b.runAll(ctx, rep); err != nil {
		return err
	}
	rep.took, rep.loadAfter = time.Since(started), loadAverage()
	rep.busy, rep.steal = window.shares()
	return publish(rep, root, o.out)
}

// cpuWindow is the machine's CPU time at the start of a run.
type cpuWindow struct {
	busy, steal, total int64
	err                error
}

func startCPUWindow() cpuWindow {
	var w cpuWindow
	w.busy, w.steal, w.total, w.err = machineTicks()
	return w
}

// shares returns the parts of the machine's CPU time since w that were
// busy and stolen, or -1, -1 when they cannot be read.
func (w cpuWindow) shares() (busy, steal float64) {
	b, s, t, err := machineTicks()
	if w.err != nil || err != nil || t <= w.total {
		return -1, -1
	}
	all := float64(t - w.total)
	return float64(b-w.busy) / all, float64(s-w.steal) / all
}

// seedAll seeds SQLite and, when configured, PostgreSQL. cleanup drops
// the PostgreSQL schema.
func (b *bench) seedAll(ctx context.Context) (cleanup func(), err error) {
	cleanup = func() {}
	dbs := []database{{name: "sqlite", dataDir: filepath.Join(b.tmp, "sqlite")}}
	switch {
	case b.o.pgURL == "":
		progress("%s is not set: PostgreSQL is left out", envPostgres)
	case b.o.skipPostgres:
		progress("-skip-postgres: PostgreSQL is left out")
	default:
		url, drop, err := pgSchema(ctx, b.o.pgURL)
		if err != nil {
			return cleanup, err
		}
		cleanup = drop
		dbs = append(dbs, database{name: "postgres", url: url,
			dataDir: filepath.Join(b.tmp, "postgres")})
	}
	for i := range dbs {
		progress("seeding %d apps on %s", b.o.apps, dbs[i].name)
		if dbs[i].tokens, err = seed(ctx, dbs[i].url, dbs[i].dataDir, b.o.apps); err != nil {
			return cleanup, fmt.Errorf("seed %s: %w", dbs[i].name, err)
		}
	}
	b.dbs = dbs
	return cleanup, nil
}

// command returns the command line this run was started with.
func command() string {
	args := []string{"go run ./bench"}
	for _, a := range os.Args[1:] {
		if strings.ContainsAny(a, " \t'\"") {
			a = strconv.Quote(a)
		}
		args = append(args, a)
	}
	return strings.Join(args, " ")
}

// publish prints the report and writes it into the results file.
func publish(rep *report, root, out string) error {
	var sb strings.Builder
	rep.write(&sb)
	fmt.Print(sb.String())
	if out == "-" {
		return nil
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	if err := writeResults(out, sb.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	progress("wrote %s", out)
	return nil
}
