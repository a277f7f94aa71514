package web

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/ratelimit"
)

const sessionCookie = "ajans_session"

// secure reports whether cookies for r should be Secure.
func (s *Server) secure(r *http.Request) bool {
	return s.SecureCookies || r.TLS != nil ||
		(s.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

// newSecret returns 32 random bytes in base64url.
func (s *Server) newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// startSession logs the user in: a new session in the database and its
// secret in an HttpOnly cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64) error {
	secret, err := s.newSecret()
	if err != nil {
		return err
	}
	expires := s.Now().Add(s.SessionTTL)
	err = s.DB.CreateSession(r.Context(), userID, ajans.HashToken(secret), expires)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/",
		Expires: expires, MaxAge: int(s.SessionTTL.Seconds()), HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	return nil
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// sessionHash returns the hash of the request's session secret, or "".
func sessionHash(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	return ajans.HashToken(c.Value)
}

// sessionUser returns the logged-in user, or nil. stale reports a session
// cookie that names no live session: expired, logged out or forged.
func (s *Server) sessionUser(r *http.Request) (u *ajans.User, stale bool) {
	hash := sessionHash(r)
	if hash == "" {
		return nil, false
	}
	u, err := s.DB.SessionUser(r.Context(), hash)
	if err != nil {
		if ajans.ErrorCode(err) != ajans.ENOTFOUND {
			s.log.Error("read session", "err", err)
		}
		return nil, true
	}
	return u, false
}

// userHandler serves a page for a logged-in user.
type userHandler func(w http.ResponseWriter, r *http.Request, u *ajans.User)

// auth lets only logged-in users through; others go to the log-in page,
// and nothing a form asked for is done.
func (s *Server) auth(h userHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, stale := s.sessionUser(r)
		if u != nil {
			h(w, r, u)
			return
		}
		next := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			next = r.Header.Get("Referer")
			if ref, err := url.Parse(next); err == nil {
				next = ref.RequestURI()
			}
		}
		to := "/login?next=" + url.QueryEscape(safeNext(next))
		if stale {
			s.clearSession(w, r)
			s.redirect(w, r, to, false, "flash.session_expired")
			return
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	}
}

// admin lets only administrators through; to anyone else the page does
// not exist.
func (s *Server) admin(h userHandler) http.HandlerFunc {
	return s.auth(func(w http.ResponseWriter, r *http.Request, u *ajans.User) {
		if !u.IsAdmin {
			s.notFound(w, r)
			return
		}
		h(w, r, u)
	})
}

// clientAddr is the address failed log-ins are counted against.
func (s *Server) clientAddr(r *http.Request) string {
	return ratelimit.ClientAddr(r, s.TrustProxy)
}
