package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/api"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/blob"
	"github.com/ajans/ajans/internal/catalog"
	"github.com/ajans/ajans/internal/chat"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/llm/openai"
	"github.com/ajans/ajans/internal/ratelimit"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/tokens"
	"github.com/ajans/ajans/internal/web"
)

func (c *cli) serve(ctx context.Context, args []string) error {
	fs := c.newFlagSet("serve")
	addr := fs.String("addr", "", "address to listen on (env AJANS_ADDR, default 127.0.0.1:8080)")
	fs.StringVar(&c.configFile, "config", "", "YAML configuration file (env AJANS_CONFIG)")
	dev := fs.Bool("dev", false, "run the built-in mock model and seed a demo user and app")
	if err := c.parse(fs.FlagSet, args); err != nil {
		return err
	}
	if *addr != "" {
		c.cfg.Addr = *addr
	}
	c.cfg.Dev = *dev
	log, err := newLogger(c.stderr, c.cfg.LogLevel, c.cfg.LogFormat)
	if err != nil {
		return err
	}
	s, err := start(ctx, c.cfg, log)
	if err != nil {
		return err
	}
	if s.dev.token != "" {
		fmt.Fprintf(c.stdout, "dev app token: %s\ntry: curl %s/api/v2/credit/%s\n",
			s.dev.token, s.URL(), s.dev.token)
		fmt.Fprintf(c.stdout, "dashboard: %s/ (log in as %s, password %s)\n",
			s.URL(), devEmail, s.dev.password)
	}
	return s.wait(ctx)
}

// server is a running ajans: the HTTP server and everything behind it.
type server struct {
	cfg Config
	log *slog.Logger
	db  *store.DB
	ln  net.Listener
	srv *http.Server

	dev      devSeed
	stopMock func()

	purge        func(context.Context) error // removes the files of deleted chats and apps
	plans        []ajans.Plan
	webProviders []web.Provider // the model providers the admin page checks

	// cancelRequests cuts off the requests still running when the drain
	// time is over; stopWorkers ends the background workers.
	cancelRequests context.CancelFunc
	stopWorkers    context.CancelFunc
	served         chan error
	inflight       inflight // requests being handled
}

// start builds ajans from cfg and starts serving. On error everything it
// started is stopped again.
func start(ctx context.Context, cfg Config, log *slog.Logger) (_ *server, err error) {
	// s is not the named result: `return nil, err` must not hide it from
	// the clean-up.
	s := &server{cfg: cfg, log: log, served: make(chan error, 1)}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	// Take the address first, so a taken one is the only thing said.
	if s.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("%w; choose another with --addr or AJANS_ADDR", err)
	}
	if s.db, err = store.Open(cfg.DatabaseURL, cfg.DataDir); err != nil {
		return nil, err
	}
	if err = s.db.Migrate(ctx); err != nil {
		return nil, err
	}
	if s.plans, err = cfg.plans(); err != nil {
		return nil, err
	}
	handler, err := s.build(ctx)
	if err != nil {
		return nil, err
	}

	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	s.stopWorkers = stopWorkers
	go billing.Sweep(workers, s.db, time.Minute, log)
	go every(workers, 10*time.Minute, func(ctx context.Context) {
		// The bytes of files whose chat or app was deleted.
		if err := s.purge(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge deleted files", "err", err)
		}
	})
	go billing.RunAllowances(workers, s.db, s.plans, time.Minute, nil, log)

	base, cancelRequests := context.WithCancel(context.Background())
	s.cancelRequests = cancelRequests
	s.srv = &http.Server{
		Handler:           s.track(handler),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() { s.served <- s.srv.Serve(s.ln) }()
	if cfg.PprofAddr != "" {
		go servePprof(workers, cfg.PprofAddr, log)
	}
	log.Info("ajans is serving", "url", s.URL(), "database", s.databaseKind(), "dev", cfg.Dev)
	return s, nil
}

// build wires the services and returns the HTTP handler.
func (s *server) build(ctx context.Context) (http.Handler, error) {
	assistants, err := catalog.Load(s.cfg.AssistantsFile)
	if err != nil {
		return nil, err
	}
	team := catalog.NewTeam(assistants)
	models, err := s.models()
	if err != nil {
		return nil, err
	}
	if s.cfg.Dev {
		if s.dev, err = seedDev(ctx, s.db, s.cfg); err != nil {
			return nil, err
		}
	}
	rules := s.cfg.rules()
	files := filepath.Join(s.cfg.DataDir, "files")
	blobs, err := blob.NewDisk(files)
	if err != nil {
		return nil, err
	}
	engine := chat.New(chat.Config{Store: s.db, Team: team, Models: models, Rules: rules,
		Count: tokens.Count, ContextTokens: s.cfg.ContextTokens, Log: s.log,
		Blobs: blobs, SpoolDir: filepath.Join(files, ".tmp"), ImageModel: s.cfg.ImageModel})
	s.purge = engine.PurgeFiles
	limiter, err := s.limiter()
	if err != nil {
		return nil, err
	}
	apiHandler := api.New(api.Config{Store: s.db, Team: team, Engine: engine, Limiter: limiter,
		Plans: s.plans, Rules: rules, TrustProxy: s.cfg.TrustProxy, Log: s.log})
	webHandler := web.New(web.Config{DB: s.db, Plans: s.plans, SignupPlan: s.cfg.SignupPlan,
		Assistants: assistants, Providers: s.webProviders, Limiter: limiter,
		BaseURL:       s.cfg.BaseURL,
		SecureCookies: s.cfg.SecureCookies || strings.HasPrefix(s.cfg.BaseURL, "https://"),
		TrustProxy:    s.cfg.TrustProxy, Log: s.log})
	// The API owns /api/, /healthz and /readyz; the dashboard everything else.
	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz"} {
		mux.Handle(p, apiHandler)
	}
	mux.Handle("/", webHandler)
	return mux, nil
}

// models registers the configured providers, and the mock model in dev mode.
func (s *server) models() (*llm.Registry, error) {
	cfgs, defaultModel := s.cfg.Providers, s.cfg.DefaultModel
	if s.cfg.Dev {
		url, stop, err := mock.Start(mock.Options{})
		if err != nil {
			return nil, fmt.Errorf("start mock model: %w", err)
		}
		s.stopMock = stop
		cfgs = append(cfgs, ProviderConfig{Name: "mock", BaseURL: url})
		if defaultModel == "" {
			defaultModel = "mock/" + mock.ModelName
		}
	}
	var providers []llm.Provider
	for _, pc := range cfgs {
		key, err := pc.apiKey()
		if err != nil {
			return nil, err
		}
		s.webProviders = append(s.webProviders,
			web.Provider{Name: pc.Name, BaseURL: pc.BaseURL, APIKey: key})
		oc := openai.Config{Name: pc.Name, BaseURL: pc.BaseURL, APIKey: key,
			Timeout: pc.Timeout, MaxRetries: pc.MaxRetries, MaxTokensField: pc.MaxTokensField}
		if err := oc.Validate(); err != nil {
			return nil, fmt.Errorf("provider %s: %w", pc.Name, err)
		}
		providers = append(providers, openai.New(oc))
	}
	if len(providers) == 0 {
		s.log.Warn("no model provider is configured: chat calls will answer 503. " +
			"Set AJANS_OPENAI_BASE_URL and AJANS_MODEL, or run `ajans serve --dev`")
		return llm.NewRegistry(defaultModel), nil
	}
	names := make([]string, len(cfgs))
	for i, pc := range cfgs {
		names[i] = pc.Name
	}
	defaultModel, err := qualify(defaultModel, names)
	if err != nil {
		return nil, err
	}
	return llm.NewRegistry(defaultModel, providers...), nil
}

// qualify returns the default model as provider/model, checking that the
// provider is one of names. A bare model name is the one provider's.
func qualify(model string, names []string) (string, error) {
	if model == "" {
		return "", errors.New("no default model: set AJANS_MODEL (e.g. gpt-4o-mini, llama3.2) " +
			"or default_model in the configuration file")
	}
	provider, _, ok := strings.Cut(model, "/")
	if !ok {
		if len(names) != 1 {
			return "", fmt.Errorf("default model %q: name it as provider/model, "+
				"the provider one of %s", model, strings.Join(names, ", "))
		}
		return names[0] + "/" + model, nil
	}
	if !slices.Contains(names, provider) {
		return "", fmt.Errorf("default model %q: there is no provider %q; configured: %s "+
			"(name the model as provider/model, e.g. %s/%s)",
			model, provider, strings.Join(names, ", "), names[0], model)
	}
	return model, nil
}

// limiter keeps rate limits in Redis when AJANS_REDIS_URL is set, in memory
// otherwise.
func (s *server) limiter() (ratelimit.Limiter, error) {
	if s.cfg.RedisURL == "" {
		return ratelimit.NewMemory(1<<20, nil), nil
	}
	opts, err := redis.ParseURL(s.cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("redis URL: %w", err)
	}
	return ratelimit.NewRedis(redis.NewClient(opts), "ajans:rl:", nil), nil
}

// URL returns the base URL the server answers on.
func (s *server) URL() string { return "http://" + s.ln.Addr().String() }

func (s *server) databaseKind() string {
	if s.db.Postgres() {
		return "postgres"
	}
	return "sqlite " + s.cfg.DataDir
}

// wait serves until ctx ends, then shuts down in order: stop accepting,
// drain requests for up to DrainTimeout, cut off what is left (it is charged
// nothing), stop the workers, close the stores.
func (s *server) wait(ctx context.Context) error {
	select {
	case err := <-s.served:
		s.close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "drain", s.cfg.DrainTimeout)
	drain, cancel := context.WithTimeout(context.Background(), s.cfg.DrainTimeout)
	defer cancel()
	if err := s.srv.Shutdown(drain); err != nil {
		s.log.Warn("requests cut off at the end of the drain", "err", err)
		s.cancelRequests()
		s.srv.Close()
		s.waitInflight(5 * time.Second) // let cut-off requests release their holds
	}
	s.close()
	s.log.Info("stopped")
	return nil
}

// servePprof serves Go's profiles at addr until ctx ends, for measuring
// ajans under load. Keep addr on loopback: profiles show internals.
func servePprof(ctx context.Context, addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Info("serving profiles", "url", "http://"+addr+"/debug/pprof/")
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve profiles", "err", err)
	}
}

// every runs fn now and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		fn(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// track counts the requests being handled, so shutdown can wait for them.
// A request that arrives once the wait has begun is turned away, so the
// count only goes down from then on.
func (s *server) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.inflight.start() {
			http.Error(w, "ajans is shutting down", http.StatusServiceUnavailable)
			return
		}
		defer s.inflight.wg.Done()
		h.ServeHTTP(w, r)
	})
}

func (s *server) waitInflight(limit time.Duration) {
	done := make(chan struct{})
	go func() { s.inflight.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		s.log.Warn("requests still running at exit")
	}
}

// inflight counts the requests being handled.
type inflight struct {
	mu      sync.Mutex // guards closing, and orders start against wait
	closing bool
	wg      sync.WaitGroup
}

// start counts one more request, and reports false once wait has begun.
func (f *inflight) start() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closing {
		return false
	}
	f.wg.Add(1)
	return true
}

// wait returns when every counted request is done.
func (f *inflight) wait() {
	f.mu.Lock()
	f.closing = true
	f.mu.Unlock()
	f.wg.Wait()
}

// close stops whatever start got running.
func (s *server) close() {
	if s.ln != nil {
		s.ln.Close() // closed already when the server ran
	}
	if s.cancelRequests != nil {
		s.cancelRequests()
	}
	if s.stopWorkers != nil {
		s.stopWorkers()
	}
	if s.stopMock != nil {
		s.stopMock()
	}
	if s.db != nil {
		s.db.Close()
	}
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("log format %q: use text or json", format)
	}
}
