package web

import (
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Languages are the languages of the dashboard; the first is the default.
var Languages = []string{"en", "tr"}

const langCookie = "ajans_lang"

// Locale is one language of the dashboard: its messages and its way of
// writing numbers and dates. Templates reach it as .L.
type Locale struct {
	Lang     string
	messages map[string]string
}

// loadLocales reads locales/LANG.yaml for every language.
func loadLocales(fsys fs.FS) (map[string]*Locale, error) {
	locales := make(map[string]*Locale)
	for _, lang := range Languages {
		b, err := fs.ReadFile(fsys, path.Join("locales", lang+".yaml"))
		if err != nil {
			return nil, fmt.Errorf("read locale %s: %w", lang, err)
		}
		l := &Locale{Lang: lang}
		if err := yaml.Unmarshal(b, &l.messages); err != nil {
			return nil, fmt.Errorf("locale %s: %w", lang, err)
		}
		locales[lang] = l
	}
	return locales, nil
}

// T returns the message key in the locale's language, formatted with args.
// A missing key shows itself in brackets, so tests can find it.
func (l *Locale) T(key string, args ...any) string {
	msg, ok := l.messages[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether the locale has a message for key.
func (l *Locale) Has(key string) bool {
	_, ok := l.messages[key]
	return ok
}

// Num writes n with the locale's digit grouping: 100,000 or 100.000.
func (l *Locale) Num(n int64) string {
	sep := ","
	if l.Lang == "tr" {
		sep = "."
	}
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return sign + b.String()
}

// Int is Num for an int.
func (l *Locale) Int(n int) string { return l.Num(int64(n)) }

// Date writes the day of t in UTC.
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	if l.Lang == "tr" {
		return t.UTC().Format("02.01.2006")
	}
	return t.UTC().Format("2006-01-02")
}

// Time writes t to the minute in UTC.
func (l *Locale) Time(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	if l.Lang == "tr" {
		return t.UTC().Format("02.01.2006 15:04")
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// locale returns the locale of the request: the remembered switch, else
// the first supported language of Accept-Language, else English.
func (s *Server) locale(r *http.Request) *Locale {
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := s.locales[c.Value]; ok {
			return l
		}
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if l, ok := s.locales[base]; ok {
			return l
		}
	}
	return s.locales[Languages[0]]
}

// setLang remembers the chosen language for a year and goes back.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if !slices.Contains(Languages, lang) {
		s.notFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r)})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// safeNext returns next when it is a path on this site, else "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
