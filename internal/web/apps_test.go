package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/web"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var tokenOnPage = regexp.MustCompile(`<code id="new-token">([A-Za-z0-9_-]+)</code>`)

// createApp creates an app through the page and returns it and its token.
func (c *client) createApp(name string) (*ajans.App, string) {
	c.e.t.Helper()
	p := c.post("/apps", url.Values{"name": {name}})
	m := tokenOnPage.FindStringSubmatch(p.body)
	if p.status != http.StatusOK || m == nil {
		c.e.t.Fatalf("create app: %d\n%s", p.status, excerpt(p.body))
	}
	app, err := c.e.db.AppByTokenHash(ctx, ajans.HashToken(m[1]))
	if err != nil || app.Name != name {
		c.e.t.Fatalf("the shown token names %+v, %v", app, err)
	}
	return app, m[1]
}

func (e *env) appBalance(id int64) int64 {
	e.t.Helper()
	b, err := e.db.AppBalance(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func TestAppsTransferRefusesBadInput(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("en")
	u := c.signup("ali@example.com")
	app, _ := c.createApp("Çağrı botu")
	other := e.client("en")
	other.signup("veli@example.com")
	otherApp, _ := other.createApp("theirs")

	tests := []struct {
		name, path, amount string
		want               string
	}{
		{"999", "/apps/" + itoa(app.ID) + "/transfer", "999", "at least 1,000 credits"},
		{"not a number", "/apps/" + itoa(app.ID) + "/transfer", "bin", "whole positive number"},
		{"negative", "/apps/" + itoa(app.ID) + "/transfer", "-5000", "whole positive number"},
		{"a fraction", "/apps/" + itoa(app.ID) + "/transfer", "1000.5", "whole positive number"},
		{"empty", "/apps/" + itoa(app.ID) + "/transfer", "", "whole positive number"},
		{"more than held", "/apps/" + itoa(app.ID) + "/transfer", "100001",
			"fewer than the 100,001"},
		{"another user's app", "/apps/" + itoa(otherApp.ID) + "/transfer", "1000",
			"no such application"},
		{"no such app", "/apps/99999/transfer", "1000", "no such application"},
		{"a bad id", "/apps/x1/transfer", "1000", "no such application"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := c.post(tt.path, url.Values{"amount": {tt.amount}})
			if p.path != "/apps" {
				t.Fatalf("ended at %s (%d)", p.path, p.status)
			}
			wantText(t, p, `class="flash err"`, tt.want)
		})
	}
	if got := e.user(u.ID); got.Balance != 100_000 || e.appBalance(app.ID) != 0 ||
		e.appBalance(otherApp.ID) != 0 {
		t.Fatalf("bad transfers changed balances: account %d", got.Balance)
	}

	p := c.post("/apps/"+itoa(app.ID)+"/transfer", url.Values{"amount": {"1.500"}})
	wantText(t, p, "Moved 1,500 credits to Çağrı botu")
	if e.appBalance(app.ID) != 1500 || e.user(u.ID).Balance != 98_500 {
		t.Fatal("the good transfer did not land")
	}
}

func TestRotateAndDeleteApp(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("tr")
	u := c.signup("ali@example.com")
	app, token := c.createApp("bot")
	c.post("/apps/"+itoa(app.ID)+"/transfer", url.Values{"amount": {"5000"}})

	p := c.post("/apps/"+itoa(app.ID)+"/rotate", nil)
	m := tokenOnPage.FindStringSubmatch(p.body)
	if m == nil || m[1] == token {
		t.Fatalf("rotation showed no new token:\n%s", excerpt(p.body))
	}
	wantText(t, p, "yeni bir anahtarı var")
	_, err := e.db.AppByTokenHash(ctx, ajans.HashToken(token))
	if ajans.ErrorCode(err) != ajans.ENOTFOUND {
		t.Fatal("the old token still works")
	}
	if p := c.get("/apps"); tokenOnPage.MatchString(p.body) {
		t.Fatal("the token is shown a second time")
	}

	p = c.post("/apps/"+itoa(app.ID)+"/delete", nil)
	wantText(t, p, "kutuyu işaretleyin")
	if e.appBalance(app.ID) != 5000 {
		t.Fatal("an unconfirmed delete changed the app")
	}
	p = c.post("/apps/"+itoa(app.ID)+"/delete", url.Values{"confirm": {"yes"}})
	wantText(t, p, "bot uygulaması silindi; 5.000 kredi hesabınıza döndü")
	if got := e.user(u.ID); got.Balance != 100_000 {
		t.Fatalf("account balance %d after the delete, want 100000", got.Balance)
	}
}

func TestAppNameAndPlanNotes(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.SignupPlan = "free" })
	c := e.client("en")
	c.signup("ali@example.com")
	p := c.post("/apps", url.Values{"name": {"   "}})
	if p.status != http.StatusBadRequest {
		t.Fatalf("an empty name: %d", p.status)
	}
	wantText(t, p, "1 to 80 characters", "no API access")
}
