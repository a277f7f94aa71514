package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ajans/ajans/internal/web"
)

var missingKey = regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`)

// Every page renders in both languages, with no missing message, and the
// Turkish pages carry Turkish letters.
func TestEveryPageInBothLanguages(t *testing.T) {
	e := newEnv(t, nil)
	seed := e.client("en")
	seed.signup("ayşe@example.com")
	app, _ := seed.createApp("Güneş")
	seed.post("/apps/"+itoa(app.ID)+"/transfer", url.Values{"amount": {"2000"}})
	e.call(app.ID, 3)

	paths := []string{"/", "/apps", "/usage", "/usage?page=2", "/chats",
		"/chats/" + itoa(app.ID) + "/1",
		"/account", "/docs", "/admin", "/admin/users/1", "/admin/assistants", "/admin/providers"}
	public := []string{"/", "/login", "/signup", "/docs", "/nowhere"}
	for _, lang := range web.Languages {
		c := e.client(lang)
		c.post("/login", url.Values{"email": {"ayşe@example.com"}, "password": {goodPassword}})
		anon := e.client(lang)
		check := func(c *client, path string) {
			t.Run(lang+path, func(t *testing.T) {
				p := c.get(path)
				want := http.StatusOK
				if path == "/nowhere" {
					want = http.StatusNotFound
				}
				if p.status != want || !strings.Contains(p.body, `<html lang="`+lang+`">`) {
					t.Fatalf("status %d, want %d; lang %s", p.status, want, lang)
				}
				if m := missingKey.FindString(p.body); m != "" {
					t.Fatalf("missing message %s", m)
				}
				if lang == "tr" && !strings.ContainsAny(p.body, "çğıİöşü") {
					t.Fatal("no Turkish letter on a Turkish page")
				}
			})
		}
		for _, path := range paths {
			check(c, path)
		}
		for _, path := range public {
			check(anon, path)
		}
	}
}

func TestDocsUseTheOperatorsBaseURL(t *testing.T) {
	tests := []struct {
		name, base, want string
	}{
		{"configured", "https://ai.example.com/", "https://ai.example.com/api/v2/"},
		{"from the request", "", "/api/v2/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *web.Config) { c.BaseURL = tt.base })
			want := tt.want
			if tt.base == "" {
				want = e.url + tt.want
			}
			p := e.client("en").get("/docs")
			curl := regexp.MustCompile(`<code class="curl">([^<]*)</code>`)
			examples := curl.FindAllStringSubmatch(p.body, -1)
			if len(examples) < 8 {
				t.Fatalf("%d examples on /docs", len(examples))
			}
			for _, ex := range examples {
				if !strings.Contains(ex[1], strings.TrimSuffix(want, "api/v2/")) {
					t.Errorf("example without the base URL: %s", ex[1])
				}
			}
			wantText(t, p, want+"newChat/16/$TOKEN", "insufficient_credit", "plan_forbidden",
				"100,000", "500,000", "ceil((message_tokens + response_tokens) / 100)",
				"Content-Type: application/json")
		})
	}
}

func TestStaticAssets(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("en")
	for path, want := range map[string]int{"/static/style.css": 200, "/static/app.js": 200,
		"/static/": 404, "/static/nope.css": 404} {
		if p := c.get(path); p.status != want {
			t.Errorf("%s: %d, want %d", path, p.status, want)
		}
	}
	p := c.get("/login")
	headers := []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"}
	for _, h := range headers {
		if p.header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
}
