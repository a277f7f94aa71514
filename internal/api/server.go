// Package api serves the AIGENCY API v2 over HTTP: it parses requests,
// authenticates tokens, applies rate limits and plans, and maps errors to
// statuses. The rules live in the services it calls.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/accesslog"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/chat"
	"github.com/ajans/ajans/internal/ratelimit"
)

// Store is what the handlers read directly; writes go through the services.
type Store interface {
	CallerByTokenHash(ctx context.Context, hash string) (ajans.Caller, error)
	AppBalance(ctx context.Context, appID int64) (int64, error)
	Chat(ctx context.Context, appID, chatID int64) (*ajans.Chat, error)
	ChatsWith(ctx context.Context, appID, assistantID int64) ([]*ajans.Chat, error)
	Messages(ctx context.Context, chatID, before int64, limit int) ([]ajans.Message, bool, error)
	DeleteChat(ctx context.Context, appID, chatID int64) error
	Ping(ctx context.Context) error
}

// Team lists the assistants.
type Team interface {
	Get(id int64) (*ajans.Assistant, bool)
	List() []*ajans.Assistant
}

// Config is what a Server is built from.
type Config struct {
	Store   Store
	Team    Team
	Engine  *chat.Engine
	Limiter ratelimit.Limiter
	Plans   []ajans.Plan
	Rules   billing.Rules

	// AuthFailures limits failed authentications per client address.
	AuthFailures ratelimit.Limit
	// TrustProxy takes the client address from X-Forwarded-For, for a
	// server behind a reverse proxy.
	TrustProxy bool
	Log        *slog.Logger
}

// Server is the API's HTTP handler.
type Server struct {
	Config
	log    *slog.Logger
	mux    *http.ServeMux
	logged http.Handler // mux with the access log
}

// New returns a server with its routes.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.AuthFailures == (ratelimit.Limit{}) {
		cfg.AuthFailures = ratelimit.Limit{PerMinute: 10, Burst: 10}
	}
	s := &Server{Config: cfg, log: cfg.Log, mux: http.NewServeMux()}
	s.routes()
	s.logged = accesslog.Handler(s.mux, s.log, "request", redactPath)
	return s
}

// ServeHTTP serves the request and logs it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.logged.ServeHTTP(w, r)
}

func (s *Server) routes() {
	s.api("/api/v2/credit/{token}", s.credit, http.MethodGet)
	s.api("/api/v2/ai-team-list/{token}", s.aiTeamList, http.MethodGet)
	s.api("/api/v2/newChat/{ai_id}/{token}", s.newChat, http.MethodPost)
	s.api("/api/v2/sendMessage/{token}", s.sendMessage, http.MethodPost)
	s.api("/api/v2/resumeChat/{chat_id}/{token}", s.resumeChat, http.MethodPost, http.MethodGet)
	s.api("/api/v2/view-chats/{ai_id}/{token}", s.viewChats, http.MethodGet)
	s.api("/api/v2/deleteChat/{chat_id}/{token}", s.deleteChat, http.MethodDelete)
	s.mux.HandleFunc("/api/image", s.image)
	s.mux.HandleFunc("/api/file", s.file)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, ajans.Errorf(ajans.ENOTFOUND,
			"There is no endpoint %s. The API lives under /api/v2; see /docs.", r.URL.Path))
	})
	s.mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.mux.HandleFunc("/readyz", s.ready)
}

// handler serves one API call for an authenticated caller.
type handler func(w http.ResponseWriter, r *http.Request, c ajans.Caller) error

// api registers an API v2 endpoint: the method check, authentication, the
// rate limit and the plan check come before h, in that order.
func (s *Server) api(pattern string, h handler, methods ...string) {
	allow := strings.Join(methods, ", ")
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !contains(methods, r.Method) {
			w.Header().Set("Allow", allow)
			s.writeError(w, r, ajans.Errorf(ajans.EMETHOD,
				"%s does not take %s; use %s.", pattern, r.Method, allow))
			return
		}
		caller, err := s.authenticate(w, r)
		if err == nil {
			err = s.checkPlan(caller)
		}
		if err == nil {
			err = h(w, r, caller)
		}
		if err != nil {
			if r.Context().Err() != nil && chat.IsCancelled(err) {
				err = ajans.WrapError(ajans.EUPSTREAM, "The request was cut off.", errCancelled)
			}
			s.writeError(w, r, err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// authenticate finds the caller by the token in the path and applies the
// caller's rate limit. Failures count against the client's address.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (ajans.Caller, error) {
	ctx := r.Context()
	addr := "auth:" + ratelimit.ClientAddr(r, s.TrustProxy)
	if d, err := s.Limiter.Peek(ctx, addr, s.AuthFailures); err == nil && !d.Allowed {
		ratelimit.SetHeaders(w.Header(), d)
		return ajans.Caller{}, ajans.Errorf(ajans.ERATELIMIT, "Too many requests with a wrong "+
			"token from your address. Wait %d seconds and check the token.", seconds(d.RetryAfter))
	}
	token := r.PathValue("token")
	var caller ajans.Caller
	var err error = ajans.Errorf(ajans.EAUTH, "The token is malformed. Copy it again from the API "+
		"Applications page; it looks like ajs_ followed by 43 letters and digits.")
	if ajans.ValidTokenShape(token) {
		caller, err = s.Store.CallerByTokenHash(ctx, ajans.HashToken(token))
		if ajans.ErrorCode(err) == ajans.ENOTFOUND {
			err = ajans.Errorf(ajans.EAUTH, "No app has this token. It may have been rotated or "+
				"deleted; get the current one from the API Applications page.")
		}
	}
	if ajans.ErrorCode(err) == ajans.EAUTH {
		if d, lerr := s.Limiter.Allow(ctx, addr, s.AuthFailures); lerr == nil {
			ratelimit.SetHeaders(w.Header(), d)
			w.Header().Del("Retry-After")
		}
	}
	if err != nil {
		return caller, err
	}
	return caller, s.rateLimit(w, r, caller)
}

// rateLimit counts the request against the caller's plan limit.
func (s *Server) rateLimit(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	plan, _ := ajans.PlanByName(s.Plans, c.Plan)
	perMinute := plan.RatePerMinute
	if perMinute <= 0 {
		perMinute = 60
	}
	key := "app:" + strconv.FormatInt(c.AppID, 10)
	d, err := s.Limiter.Allow(r.Context(), key, ratelimit.Limit{PerMinute: perMinute, Burst: perMinute})
	if err != nil {
		// A limiter that cannot answer (Redis down) does not stop the API.
		s.log.Error("rate limit", "err", err)
		return nil
	}
	ratelimit.SetHeaders(w.Header(), d)
	if !d.Allowed {
		return ajans.Errorf(ajans.ERATELIMIT, "This app made more than %d requests in a minute. "+
			"Wait %d seconds before the next one.", perMinute, seconds(d.RetryAfter))
	}
	return nil
}

func seconds(d time.Duration) int64 { return int64((d + time.Second - 1) / time.Second) }

// checkPlan refuses callers whose plan has no API access.
func (s *Server) checkPlan(c ajans.Caller) error {
	plan, ok := ajans.PlanByName(s.Plans, c.Plan)
	if !ok || !plan.Has(ajans.FeatureAPIAccess) {
		return ajans.Errorf(ajans.EFORBIDDEN, "The %s plan has no API access. "+
			"Move to the pro or business plan to use the API.", c.Plan)
	}
	return nil
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		s.writeError(w, r, ajans.WrapError(ajans.EUNAVAILABLE, "The database cannot be reached.", err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// redactPath hides the token in an API path, keeping its first characters.
func redactPath(path string) string {
	if !strings.HasPrefix(path, "/api/v2/") {
		return path
	}
	i := strings.LastIndexByte(path, '/')
	return path[:i+1] + ajans.ShowToken(path[i+1:])
}
