// Package web serves the ajans dashboard: sign-up and log-in, the account
// overview, API applications, usage, chats, the API reference at /docs and
// the admin pages. Pages are rendered on the server from templates embedded
// in the binary, in Turkish and English; there is no front-end build.
package web

import (
	"crypto/rand"
	"embed"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/accesslog"
	"github.com/ajans/ajans/internal/ratelimit"
	"github.com/ajans/ajans/internal/store"
)

//go:embed templates static locales
var files embed.FS

// Config is what a Server is built from. DB and Plans are required.
type Config struct {
	DB    *store.DB
	Plans []ajans.Plan

	// SignupPlan is the plan of users who sign up (default "free").
	SignupPlan string
	// Assistants are shown on the admin pages and name assistants in usage
	// and chats; disabled ones too.
	Assistants []ajans.Assistant
	// Providers are the model providers the admin health page checks.
	Providers []Provider
	// Limiter counts failed log-ins and sign-ups per address and e-mail;
	// by default in memory.
	Limiter ratelimit.Limiter
	// BaseURL is where users reach this server (https://ai.example.com),
	// used in the examples of /docs. Empty: taken from each request.
	BaseURL string
	// SecureCookies marks cookies Secure even on plain-HTTP requests (behind
	// a TLS-terminating proxy). Cookies of TLS requests are always Secure.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For and the
	// scheme from X-Forwarded-Proto.
	TrustProxy bool
	// SessionTTL is how long a log-in lasts (default 30 days).
	SessionTTL time.Duration
	// BcryptCost is the cost of new password hashes (default bcrypt's 10).
	BcryptCost int
	// HTTPClient probes providers (default: a client with a 5 s timeout).
	HTTPClient *http.Client

	Now  func() time.Time // default time.Now
	Rand io.Reader        // default crypto/rand.Reader
	Log  *slog.Logger
}

// Server is the dashboard's HTTP handler.
type Server struct {
	Config
	log     *slog.Logger
	handler http.Handler
	pages   map[string]*pageTemplate
	locales map[string]*Locale
	docs    *apiReference
	byID    map[int64]ajans.Assistant

	// dummyHash is compared when a log-in names no user, so that a wrong
	// e-mail takes as long as a wrong password.
	dummyHash []byte
}

// New returns a dashboard server. It panics when the embedded templates,
// locales or API description cannot be read, which a test catches.
func New(cfg Config) *Server {
	cfg = withDefaults(cfg)
	s := &Server{Config: cfg, log: cfg.Log, byID: make(map[int64]ajans.Assistant)}
	for _, a := range cfg.Assistants {
		s.byID[a.ID] = a
	}
	var err error
	if s.locales, err = loadLocales(files); err != nil {
		panic(err)
	}
	if s.pages, err = parsePages(files); err != nil {
		panic(err)
	}
	if s.docs, err = newAPIReference(); err != nil {
		panic(err)
	}
	s.dummyHash, err = bcrypt.GenerateFromPassword([]byte("not a password"), cfg.BcryptCost)
	if err != nil {
		panic(err)
	}
	if _, ok := ajans.PlanByName(cfg.Plans, s.SignupPlan); !ok {
		s.log.Warn("the sign-up plan is not configured; using the first plan",
			"plan", s.SignupPlan, "instead", cfg.Plans[0].Name)
		s.SignupPlan = cfg.Plans[0].Name
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOrigin))
	s.handler = accesslog.Handler(cop.Handler(s.routes()), s.log, "page", nil)
	return s
}

func withDefaults(cfg Config) Config {
	if len(cfg.Plans) == 0 {
		cfg.Plans = ajans.DefaultPlans()
	}
	if cfg.SignupPlan == "" {
		cfg.SignupPlan = "free"
	}
	if cfg.Limiter == nil {
		cfg.Limiter = ratelimit.NewMemory(100_000, nil)
	}
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = bcrypt.DefaultCost
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * 24 * time.Hour
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return cfg
}

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, h) }
	handle("GET /{$}", s.home)
	handle("GET /login", s.loginPage)
	handle("POST /login", s.login)
	handle("GET /signup", s.signupPage)
	handle("POST /signup", s.signup)
	handle("POST /logout", s.logout)
	handle("GET /lang/{lang}", s.setLang)
	handle("GET /docs", s.apiDocs)
	handle("GET /account", s.auth(s.accountPage))
	handle("POST /account/password", s.auth(s.changePassword))
	handle("GET /apps", s.auth(s.appsPage))
	handle("POST /apps", s.auth(s.createApp))
	handle("POST /apps/{id}/transfer", s.auth(s.transfer))
	handle("POST /apps/{id}/rotate", s.auth(s.rotateApp))
	handle("POST /apps/{id}/delete", s.auth(s.deleteApp))
	handle("GET /usage", s.auth(s.usagePage))
	handle("GET /usage.csv", s.auth(s.usageCSV))
	handle("GET /chats", s.auth(s.chatsPage))
	handle("GET /chats/{app}/{chat}", s.auth(s.chatPage))
	handle("GET /admin", s.admin(s.adminUsers))
	handle("GET /admin/users/{id}", s.admin(s.adminUser))
	handle("POST /admin/users/{id}/plan", s.admin(s.adminSetPlan))
	handle("POST /admin/users/{id}/package", s.admin(s.adminGrant))
	handle("GET /admin/assistants", s.admin(s.adminAssistants))
	handle("GET /admin/providers", s.admin(s.adminProviders))
	mux.Handle("GET /static/", s.static())
	handle("/", s.notFound)
	return mux
}

// ServeHTTP sets the security headers, serves the request and logs it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "+
		"style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; "+
		"base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	s.handler.ServeHTTP(w, r)
}

// static serves the embedded assets, cached for a day.
func (s *Server) static() http.Handler {
	fs := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			s.notFound(w, r) // no folder listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fs.ServeHTTP(w, r)
	})
}
