package web

import (
	"context"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/ratelimit"
)

// Limits on failed log-ins (per address and per e-mail) and on sign-ups
// (per address).
var (
	loginLimit  = ratelimit.Limit{PerMinute: 10, Burst: 10}
	signupLimit = ratelimit.Limit{PerMinute: 10, Burst: 20}
)

// authForm is what the log-in and sign-up pages show again after an error.
type authForm struct {
	Email string
	Next  string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if u, _ := s.sessionUser(r); u != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, authForm{Next: r.URL.Query().Get("next")}, "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, f authForm,
	errText string) {
	l := s.locale(r)
	s.render(w, r, status, "login", &page{L: l, Title: l.T("login.title"), Nav: "login",
		Error: errText, Data: f})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	l := s.locale(r)
	f := authForm{Email: strings.TrimSpace(r.PostFormValue("email")), Next: r.PostFormValue("next")}
	keys := []string{"login:addr:" + s.clientAddr(r), "login:email:" + strings.ToLower(f.Email)}
	if wait, blocked := s.blocked(r.Context(), keys); blocked {
		s.renderLogin(w, r, http.StatusTooManyRequests, f, l.T("err.login_limit", seconds(wait)))
		return
	}
	u, err := s.DB.UserByEmail(r.Context(), f.Email)
	hash := s.dummyHash
	if err == nil && u.PasswordHash != "" {
		hash = []byte(u.PasswordHash)
	}
	// The hash is compared even for an unknown e-mail, so the answer takes
	// as long either way and does not tell which e-mails exist.
	match := bcrypt.CompareHashAndPassword(hash, []byte(r.PostFormValue("password"))) == nil
	if err != nil || !match || u.PasswordHash == "" {
		for _, k := range keys {
			s.Limiter.Allow(r.Context(), k, loginLimit)
		}
		s.renderLogin(w, r, http.StatusUnauthorized, f, l.T("err.login"))
		return
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, safeNext(f.Next), http.StatusSeeOther)
}

// blocked reports whether any key is over the log-in limit, and how long
// until it is not.
func (s *Server) blocked(ctx context.Context, keys []string) (time.Duration, bool) {
	for _, k := range keys {
		d, err := s.Limiter.Peek(ctx, k, loginLimit)
		if err == nil && !d.Allowed {
			return d.RetryAfter, true
		}
	}
	return 0, false
}

func seconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) {
	if u, _ := s.sessionUser(r); u != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.renderSignup(w, r, http.StatusOK, authForm{}, "")
}

func (s *Server) renderSignup(w http.ResponseWriter, r *http.Request, status int, f authForm,
	errText string) {
	l := s.locale(r)
	plan, _ := ajans.PlanByName(s.Plans, s.SignupPlan)
	s.render(w, r, status, "signup", &page{L: l, Title: l.T("signup.title"), Nav: "signup",
		Error: errText, Data: struct {
			authForm
			Plan ajans.Plan
		}{f, plan}})
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), s.locale(r)
	f := authForm{Email: strings.TrimSpace(r.PostFormValue("email"))}
	d, err := s.Limiter.Allow(ctx, "signup:addr:"+s.clientAddr(r), signupLimit)
	if err == nil && !d.Allowed {
		s.renderSignup(w, r, http.StatusTooManyRequests, f,
			l.T("err.signup_limit", seconds(d.RetryAfter)))
		return
	}
	password := r.PostFormValue("password")
	if !validEmail(f.Email) {
		s.renderSignup(w, r, http.StatusBadRequest, f, l.T("err.email"))
		return
	}
	if key := checkPassword(password, r.PostFormValue("confirm"), f.Email); key != "" {
		s.renderSignup(w, r, http.StatusBadRequest, f, l.T(key))
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.BcryptCost)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := &ajans.User{Email: f.Email, PasswordHash: string(hash), Plan: s.SignupPlan}
	if err := s.DB.SignUp(ctx, u); err != nil {
		if ajans.ErrorCode(err) == ajans.ECONFLICT {
			s.renderSignup(w, r, http.StatusConflict, f, l.T("err.email_taken"))
			return
		}
		s.fail(w, r, err)
		return
	}
	if _, _, err := billing.Renew(ctx, s.DB, s.Plans, u, s.Now()); err != nil {
		s.log.Error("load the first allowance", "user", u.ID, "err", err) // the worker retries
	}
	if err := s.startSession(w, r, u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/", true, "flash.welcome", u.Plan)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if hash := sessionHash(r); hash != "" {
		if err := s.DB.DeleteSession(r.Context(), hash); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearSession(w, r)
	s.redirect(w, r, "/login", true, "flash.logged_out")
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	s.renderAccount(w, r, u, http.StatusOK, "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, u *ajans.User,
	status int, errText string) {
	l := s.locale(r)
	s.render(w, r, status, "account", &page{L: l, User: u, Title: l.T("account.title"),
		Nav: "account", Error: errText})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	l := s.locale(r)
	current, next := r.PostFormValue("current"), r.PostFormValue("password")
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		s.renderAccount(w, r, u, http.StatusBadRequest, l.T("err.current_password"))
		return
	}
	key := checkPassword(next, r.PostFormValue("confirm"), u.Email)
	if key == "" && next == current {
		key = "err.password_reused"
	}
	if key != "" {
		s.renderAccount(w, r, u, http.StatusBadRequest, l.T(key))
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), s.BcryptCost)
	if err == nil {
		err = s.DB.SetPassword(r.Context(), u.ID, string(hash))
	}
	if err == nil {
		err = s.DB.DeleteOtherSessions(r.Context(), u.ID, sessionHash(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/account", true, "flash.password_changed")
}

// validEmail reports whether s is a bare e-mail address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254 && a.Name == ""
}

// commonPasswords are refused outright: the first ones any guesser tries.
var commonPasswords = []string{
	"1234567890", "12345678910", "0123456789", "1111111111", "1q2w3e4r5t", "qwertyuiop",
	"password12", "password123", "password1234", "passw0rd12", "iloveyou12", "abcdefghij",
	"abc1234567", "sifre12345", "parola1234", "qwerty1234", "asdfghjkl1", "zaq12wsxcde",
	"letmein123", "welcome123", "administrator", "ajans12345",
}

// checkPassword returns the locale key of what is wrong with a new
// password, or "" when it may be used.
func checkPassword(password, confirm, email string) string {
	lower := strings.ToLower(password)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	switch {
	case utf8.RuneCountInString(password) < 10:
		return "err.password_short"
	case len(password) > 72:
		return "err.password_long"
	case slices.Contains(commonPasswords, lower) || oneLetter(lower):
		return "err.password_common"
	case lower == strings.ToLower(email) || (len(local) >= 4 && strings.Contains(lower, local)):
		return "err.password_email"
	case password != confirm:
		return "err.password_mismatch"
	}
	return ""
}

// oneLetter reports whether s repeats a single character.
func oneLetter(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return strings.Count(s, string(r))*size == len(s)
}
