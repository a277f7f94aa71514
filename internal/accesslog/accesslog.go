// Package accesslog writes one log line per HTTP request: method, path,
// status and duration; server errors at Error, the rest at Info.
package accesslog

import (
	"log/slog"
	"net/http"
	"time"
)

// Handler returns h with each request logged as msg. redact rewrites the
// path before it is logged (to hide a token in it); nil keeps it as it is.
func Handler(h http.Handler, log *slog.Logger, msg string, redact func(string) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		path := r.URL.Path
		if redact != nil {
			path = redact(path)
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		log.Log(r.Context(), level, msg, "method", r.Method, "path", path,
			"status", rec.status, "duration", time.Since(start).Round(time.Microsecond))
	})
}

// recorder remembers the status a handler wrote.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
