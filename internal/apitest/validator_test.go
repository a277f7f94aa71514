package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// token is a well-formed app token: "ajs_" and 43 base64url characters.
var token = "ajs_" + strings.Repeat("Ab3_-x", 7) + "Q"

// recorder is a testing.TB that records failures instead of failing, to
// show what Check reports. Its embedded TB is nil: a helper that calls any
// method not overridden here panics, so the tests notice.
type recorder struct {
	testing.TB

	mu       sync.Mutex // guards failures
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.record(fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.record(fmt.Sprintf(format, args...))
}

func (r *recorder) record(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, msg)
}

func (r *recorder) report() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.failures, "\n")
}

// checkCase is one response held against the document. want is empty when
// the response must pass, else a phrase the failure must contain.
type checkCase struct {
	name   string
	method string
	target string // a path, or an absolute URL on any host
	status int
	header http.Header
	body   string
	want   string
}

// apiHeader returns the headers of a JSON API v2 answer, with kv pairs set
// on top; an empty value deletes the header.
func apiHeader(kv ...string) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-RateLimit-Limit", "60")
	h.Set("X-RateLimit-Remaining", "59")
	h.Set("X-RateLimit-Reset", "1")
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			h.Del(kv[i])
			continue
		}
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// plainHeader returns the headers of an answer outside /api/v2.
func plainHeader(contentType string, kv ...string) http.Header {
	h := apiHeader(append([]string{"Content-Type", contentType}, kv...)...)
	h.Del("X-RateLimit-Limit")
	h.Del("X-RateLimit-Remaining")
	h.Del("X-RateLimit-Reset")
	return h
}

// errorBody returns an error body as the server writes it.
func errorBody(status int, code string) string {
	return fmt.Sprintf(`{"error":{"status":%d,"code":%q,"message":"Bir şeyler ters gitti."}}`,
		status, code)
}

func TestCheck(t *testing.T) {
	v := NewValidator(t)
	cases := append(accountCases(), chatCases()...)
	cases = append(cases, methodCases()...)
	cases = append(cases, otherCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(c.method, c.target, nil)
			rec := &recorder{}
			v.Check(rec, req, c.status, c.header, []byte(c.body))
			got := rec.report()
			switch {
			case c.want == "" && got != "":
				t.Errorf("a valid response failed:\n%s", got)
			case c.want != "" && got == "":
				t.Errorf("an invalid response passed; want a failure about %q", c.want)
			case !strings.Contains(got, c.want):
				t.Errorf("failure does not mention %q:\n%s", c.want, got)
			}
		})
	}
}

func TestCheckFailureIsReadable(t *testing.T) {
	v := NewValidator(t)
	req := httptest.NewRequest(http.MethodGet, "/api/v2/credit/"+token, nil)
	rec := &recorder{}
	v.Check(rec, req, http.StatusOK, apiHeader(), []byte(`{"credit":-1,"low_credit":true}`))

	got := rec.report()
	for _, want := range []string{
		"GET /api/v2/credit/" + token, // method and path
		"answered 200",                // status
		`{"credit":-1,`,               // body
		`"no_credit" is missing`,      // every problem, not just the first
		"must be at least 0",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("failure does not mention %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Schema:") {
		t.Errorf("failure dumps the schema:\n%s", got)
	}
}

func TestCheckLongBodyIsCut(t *testing.T) {
	v := NewValidator(t)
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	body := `{"status":"` + strings.Repeat("ç", 1000) + `"}`
	rec := &recorder{}
	v.Check(rec, req, http.StatusOK, plainHeader("application/json"), []byte(body))

	got := rec.report()
	if got == "" {
		t.Fatal("an invalid health answer passed")
	}
	if strings.Count(got, "ç") > 300 || !strings.Contains(got, "…") {
		t.Errorf("body not cut short in the failure:\n%s", got)
	}
}

// TestCheckResponse sends real requests to a server on a random port and
// holds its answers against the document.
func TestCheckResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range apiHeader() {
			w.Header()[k] = vs
		}
		if r.URL.Query().Get("stray") != "" {
			fmt.Fprint(w, `{"credit":5,"low_credit":true,"no_credit":false,"stray":1}`)
			return
		}
		fmt.Fprint(w, `{"credit":5,"low_credit":true,"no_credit":false}`)
	}))
	defer srv.Close()
	v := NewValidator(t)

	tests := []struct {
		name  string
		query string
		fail  bool
	}{
		{name: "valid", query: ""},
		{name: "stray field", query: "?stray=1", fail: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(srv.URL + "/api/v2/credit/" + token + tt.query)
			if err != nil {
				t.Fatal(err)
			}
			rec := &recorder{}
			body := v.CheckResponse(rec, resp)

			if failed := rec.report() != ""; failed != tt.fail {
				t.Errorf("failed = %v, want %v: %s", failed, tt.fail, rec.report())
			}
			again, _ := io.ReadAll(resp.Body)
			if len(body) == 0 || !bytes.Equal(body, again) {
				t.Errorf("body %q, then %q from resp.Body", body, again)
			}
		})
	}
}

func TestCheckRecorder(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
	})
	v := NewValidator(t)

	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, req)
	rec := &recorder{}
	v.CheckRecorder(rec, req, w)
	if got := rec.report(); got != "" {
		t.Errorf("a valid health answer failed:\n%s", got)
	}

	req = httptest.NewRequest(http.MethodPost, "/healthz", nil)
	w = httptest.NewRecorder()
	handler.ServeHTTP(w, req)
	v.CheckRecorder(rec, req, w)
	if got := rec.report(); !strings.Contains(got, "only 405") {
		t.Errorf("200 to an undocumented method passed or failed oddly:\n%s", got)
	}
}

func TestParseSpecRejects(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{name: "not yaml", doc: "openapi: [3"},
		{name: "no info", doc: "openapi: 3.0.3\npaths: {}\n"},
		{name: "no servers", doc: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"},
		{name: "bad example", doc: `openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'http://127.0.0.1:8080'}]
paths: {}
components:
  schemas:
    N: {type: integer, minimum: 0, example: -1}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseSpec([]byte(tt.doc)); err == nil {
				t.Error("parseSpec accepted a broken document")
			}
		})
	}
}

func TestNewValidatorSharesDocument(t *testing.T) {
	a, b := NewValidator(t), NewValidator(t)
	if a.spec != b.spec {
		t.Error("the document was loaded twice")
	}
}

func BenchmarkCheck(b *testing.B) {
	v := NewValidator(b)
	req := httptest.NewRequest(http.MethodPost, "/api/v2/newChat/16/"+token, nil)
	header := apiHeader()
	body := []byte(`{"chat_id":12,"message":"Merhaba!","remaining_credit":9994,` +
		`"is_image":false,"usage":{"message_tokens":3,"response_tokens":3,"credits":1}}`)
	for b.Loop() {
		v.Check(b, req, http.StatusOK, header, body)
	}
}
