package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/ajans/ajans"
)

// pageTemplate is one page: the layout with the page's own "content".
type pageTemplate = template.Template

// parsePages parses every templates/*.html but the layout and the partials
// into a page of its own, keyed by its base name.
func parsePages(fsys fs.FS) (map[string]*pageTemplate, error) {
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("find templates: %w", err)
	}
	pages := make(map[string]*pageTemplate)
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(fsys,
			"templates/layout.html", "templates/partials.html", name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		pages[base] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{
	"code": inlineCode,
	"has":  func(p ajans.Plan, feature string) bool { return p.Has(feature) },
	"list": func(xs ...string) []string { return xs },
	"pair": func(l *Locale, v any) pairArg { return pairArg{l, v} },
	"pager": func(l *Locale, base string, page, prev, next int) pagerArg {
		return pagerArg{l, base, page, prev, next}
	},
}

// pairArg hands a partial template the locale and one value.
type pairArg struct {
	L *Locale
	V any
}

// pagerArg is what the pager partial needs: links are Base + "page=N".
type pagerArg struct {
	L                *Locale
	Base             string
	Page, Prev, Next int
}

// inlineCode escapes s and sets the parts between backticks as code.
func inlineCode(s string) template.HTML {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 1 {
			b.WriteString("<code>" + template.HTMLEscapeString(part) + "</code>")
			continue
		}
		b.WriteString(template.HTMLEscapeString(part))
	}
	return template.HTML(b.String())
}

// page is what every template gets.
type page struct {
	L     *Locale
	User  *ajans.User // nil when nobody is logged in
	Title string      // translated
	Nav   string      // the active menu item
	Path  string      // the request's path and query, for the language switch
	Flash *flash
	Error string // a translated form error
	Data  any
}

// render writes the page name with status. It renders into a buffer first,
// so a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	if p.L == nil {
		p.L = s.locale(r)
	}
	p.Path = r.URL.RequestURI()
	if p.Flash == nil {
		p.Flash = s.takeFlash(w, r, p.L)
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		http.Error(w, "The page could not be shown. Try again.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// flash is a one-time message shown on the next page: the feedback of an
// action that redirected.
type flash struct {
	OK   bool
	Text string
}

const flashCookie = "ajans_flash"

// setFlash leaves a message for the next page: a locale key and its
// arguments, which the next page translates.
func (s *Server) setFlash(w http.ResponseWriter, r *http.Request, ok bool, key string,
	args ...string) {
	parts := []string{"err", url.QueryEscape(key)}
	if ok {
		parts[0] = "ok"
	}
	for _, a := range args {
		parts = append(parts, url.QueryEscape(a))
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: strings.Join(parts, "|"), Path: "/",
		MaxAge: 120, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// takeFlash reads and clears the message left by setFlash. Keys the
// locale does not know are ignored.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request, l *Locale) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	parts := strings.Split(c.Value, "|")
	if len(parts) < 2 || (parts[0] != "ok" && parts[0] != "err") {
		return nil
	}
	key, err := url.QueryUnescape(parts[1])
	if err != nil || !l.Has(key) {
		return nil
	}
	var args []any
	for _, p := range parts[2:] {
		a, err := url.QueryUnescape(p)
		if err != nil {
			return nil
		}
		args = append(args, a)
	}
	return &flash{OK: parts[0] == "ok", Text: l.T(key, args...)}
}

// redirect answers a form with 303 to path, with a message for that page.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to string, ok bool,
	key string, args ...string) {
	s.setFlash(w, r, ok, key, args...)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// errorPage shows a message alone on a page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, key string) {
	l := s.locale(r)
	u, _ := s.sessionUser(r)
	s.render(w, r, status, "error", &page{L: l, User: u, Title: l.T("error.title"),
		Error: l.T(key)})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "error.not_found")
}

// crossOrigin answers a form posted from another site.
func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
}

// fail answers an error of a handler: 404 for ENOTFOUND, else a logged 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if ajans.ErrorCode(err) == ajans.ENOTFOUND {
		s.notFound(w, r)
		return
	}
	s.log.Error("page failed", "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "error.internal")
}
