package accesslog

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	var out strings.Builder
	log := slog.New(slog.NewTextHandler(&out, nil))
	h := Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/broken/secret" {
			w.WriteHeader(http.StatusBadGateway)
		}
	}), log, "request", func(p string) string { return strings.Replace(p, "secret", "…", 1) })

	for _, path := range []string{"/ok/secret", "/broken/secret"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	got := out.String()
	for _, want := range []string{"level=INFO msg=request method=GET path=/ok/… status=200",
		"level=ERROR msg=request method=GET path=/broken/… status=502"} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "secret") {
		t.Errorf("the log shows the path unredacted:\n%s", got)
	}
}
