package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/catalog"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
	"github.com/ajans/ajans/internal/web"
)

var ctx = context.Background()

// env is the dashboard over real HTTP on a real SQLite database.
type env struct {
	t   testing.TB
	db  *store.DB
	url string
}

func newEnv(tb testing.TB, change func(*web.Config)) *env {
	tb.Helper()
	e := &env{t: tb, db: storetest.Open(tb, "sqlite")}
	assistants, err := catalog.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	cfg := web.Config{DB: e.db, Plans: ajans.DefaultPlans(), SignupPlan: "pro",
		Assistants: assistants, BcryptCost: bcrypt.MinCost}
	if change != nil {
		change(&cfg)
	}
	srv := httptest.NewServer(web.New(cfg))
	tb.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// client is one browser: a cookie jar that follows redirects.
type client struct {
	e    *env
	http *http.Client
	lang string
}

func (e *env) client(lang string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}, lang: lang}
}

// page is what one request got back, after redirects.
type page struct {
	status int
	path   string // where the redirects ended
	body   string
	header http.Header
}

func (c *client) do(req *http.Request) page {
	c.e.t.Helper()
	req.Header.Set("Accept-Language", c.lang)
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		c.e.t.Fatalf("%s %s: %d\n%s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return page{resp.StatusCode, resp.Request.URL.Path, string(b), resp.Header}
}

func (c *client) get(path string) page {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.url+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) page {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.e.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// signup signs a new user up and fails the test when it does not work.
func (c *client) signup(email string) *ajans.User {
	c.e.t.Helper()
	p := c.post("/signup", url.Values{"email": {email}, "password": {goodPassword},
		"confirm": {goodPassword}})
	if p.status != http.StatusOK || p.path != "/" || !strings.Contains(p.body, `class="flash ok"`) {
		c.e.t.Fatalf("sign-up: %d at %s\n%s", p.status, p.path, excerpt(p.body))
	}
	u, err := c.e.db.UserByEmail(ctx, email)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return u
}

const goodPassword = "kırmızı-Şemsiye-42"

// user returns the user with the given id as the database has it.
func (e *env) user(id int64) *ajans.User {
	e.t.Helper()
	u, err := e.db.UserByID(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	if sum, _ := e.db.UserLedgerSum(ctx, id); sum != u.Balance {
		e.t.Fatalf("ledger sum %d != balance %d", sum, u.Balance)
	}
	return u
}

// wantText fails unless the page holds every text.
func wantText(tb testing.TB, p page, texts ...string) {
	tb.Helper()
	for _, text := range texts {
		if !strings.Contains(p.body, text) {
			tb.Fatalf("the page %s (%d) lacks %q:\n%s", p.path, p.status, text, excerpt(p.body))
		}
	}
}

// excerpt is the main part of a page, for failure messages.
func excerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000] + "…"
	}
	return body
}
