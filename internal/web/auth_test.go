package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSignUpLogInLogOut(t *testing.T) {
	e := newEnv(t, nil)
	alice := e.client("en")
	a := alice.signup("alice@example.com")
	if !a.IsAdmin {
		t.Fatal("the first user is not an administrator")
	}
	wantText(t, alice.get("/"), `id="plan-name">pro<`, `id="account-balance">100,000<`)
	if p := alice.get("/admin"); p.status != http.StatusOK {
		t.Fatalf("admin page for the first user: %d", p.status)
	}

	bob := e.client("en")
	if b := bob.signup("bob@example.com"); b.IsAdmin {
		t.Fatal("the second user is an administrator")
	}
	if p := bob.get("/admin"); p.status != http.StatusNotFound {
		t.Fatalf("admin page for a user: %d", p.status)
	}
	wantText(t, bob.post("/logout", nil), "You are logged out.")
	if p := bob.get("/apps"); p.path != "/login" {
		t.Fatalf("after log-out /apps ends at %s", p.path)
	}

	p := bob.post("/login", url.Values{"email": {"BOB@example.com"}, "password": {goodPassword},
		"next": {"/usage"}})
	if p.path != "/usage" {
		t.Fatalf("log-in ended at %s (%d)", p.path, p.status)
	}
}

func TestSignUpRefusesBadInput(t *testing.T) {
	e := newEnv(t, nil)
	e.client("en").signup("taken@example.com")
	tests := []struct {
		name, email, password, confirm string
		status                         int
		want                           string
	}{
		{"bad e-mail", "not-an-email", goodPassword, goodPassword, 400, "valid e-mail"},
		{"display name", "Ali <ali@example.com>", goodPassword, goodPassword, 400, "valid e-mail"},
		{"short", "a@example.com", "kısa", "kısa", 400, "at least 10"},
		{"common", "a@example.com", "Password123", "Password123", 400, "too common"},
		{"one letter", "a@example.com", "ğğğğğğğğğğ", "ğğğğğğğğğğ", 400, "too common"},
		{"e-mail inside", "ayşegül@example.com", "ayşegül-2026!", "ayşegül-2026!", 400, "e-mail"},
		{"mismatch", "a@example.com", goodPassword, goodPassword + "x", 400, "differ"},
		{"too long", "a@example.com", strings.Repeat("ş", 40), strings.Repeat("ş", 40), 400, "72"},
		{"taken", "Taken@Example.com", goodPassword, goodPassword, 409, "exists already"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.client("en").post("/signup", url.Values{"email": {tt.email},
				"password": {tt.password}, "confirm": {tt.confirm}})
			if p.status != tt.status {
				t.Fatalf("status %d, want %d", p.status, tt.status)
			}
			wantText(t, p, tt.want)
		})
	}
	users, _ := e.db.Users(ctx, "", 0, 100)
	if len(users) != 1 {
		t.Fatalf("%d users exist, want 1", len(users))
	}
}

func TestLogInIsRateLimited(t *testing.T) {
	e := newEnv(t, nil)
	e.client("en").signup("ali@example.com")
	c := e.client("tr")
	wrong := url.Values{"email": {"ali@example.com"}, "password": {"yanlış-şifre-123"}}
	for i := range 10 {
		if p := c.post("/login", wrong); p.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, p.status)
		}
	}
	right := url.Values{"email": {"ali@example.com"}, "password": {goodPassword}}
	p := c.post("/login", right)
	if p.status != http.StatusTooManyRequests {
		t.Fatalf("after 10 failures a right password got %d", p.status)
	}
	wantText(t, p, "Çok fazla hatalı giriş")
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("en")
	c.signup("ali@example.com")
	req, _ := http.NewRequest(http.MethodPost, e.url+"/apps",
		strings.NewReader(url.Values{"name": {"evil"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	p := c.do(req)
	if p.status != http.StatusForbidden {
		t.Fatalf("a cross-site form got %d", p.status)
	}
	wantText(t, p, "sent from another site")
	if u, _ := e.db.UserByEmail(ctx, "ali@example.com"); u != nil {
		if apps, _ := e.db.AppsByUser(ctx, u.ID); len(apps) != 0 {
			t.Fatal("the cross-site form created an app")
		}
	}
}

func TestStaleSessionChangesNothing(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("en")
	u := c.signup("ali@example.com")
	c.post("/apps", url.Values{"name": {"bot"}})
	apps, _ := e.db.AppsByUser(ctx, u.ID)
	c.post("/logout", nil)

	// A cookie of a session that no longer exists.
	stale := e.client("en")
	base, _ := url.Parse(e.url)
	gone := &http.Cookie{Name: "ajans_session", Value: "gone", Path: "/"}
	stale.http.Jar.SetCookies(base, []*http.Cookie{gone})
	p := stale.post("/apps/"+itoa(apps[0].ID)+"/transfer", url.Values{"amount": {"1000"}})
	if p.path != "/login" {
		t.Fatalf("a stale session ended at %s", p.path)
	}
	wantText(t, p, "Your session has ended")
	if got := e.user(u.ID); got.Balance != 100_000 {
		t.Fatalf("balance %d: the stale form moved credits", got.Balance)
	}
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("en")
	u := c.signup("ali@example.com")
	other := e.client("en")
	other.post("/login", url.Values{"email": {"ali@example.com"}, "password": {goodPassword}})

	tests := []struct {
		name, current, next string
		want                string
	}{
		{"wrong current", "nope-nope-nope", "yeni-Şifre-2026", "current password is wrong"},
		{"reused", goodPassword, goodPassword, "must differ"},
		{"weak", goodPassword, "1234567890", "too common"},
		{"changed", goodPassword, "yeni-Şifre-2026", "Your password is changed"},
	}
	for _, tt := range tests {
		p := c.post("/account/password", url.Values{"current": {tt.current},
			"password": {tt.next}, "confirm": {tt.next}})
		if !strings.Contains(p.body, tt.want) {
			t.Fatalf("%s: the page lacks %q\n%s", tt.name, tt.want, excerpt(p.body))
		}
	}
	if p := other.get("/apps"); p.path != "/login" {
		t.Fatalf("the other session still works: %s", p.path)
	}
	if p := c.get("/apps"); p.path != "/apps" {
		t.Fatalf("the changing session was logged out: %s", p.path)
	}
	if got := e.user(u.ID); got.PasswordHash == u.PasswordHash {
		t.Fatal("the hash did not change")
	}
}

func TestLanguage(t *testing.T) {
	e := newEnv(t, nil)
	tr := e.client("tr-TR,tr;q=0.9,en;q=0.8")
	wantText(t, tr.get("/login"), `lang="tr"`, "Giriş yap", "Şifre")
	p := tr.get("/lang/en?next=/signup")
	if p.path != "/signup" {
		t.Fatalf("the switch went to %s", p.path)
	}
	wantText(t, tr.get("/login"), `lang="en"`, "Password")
	if p := tr.get("/lang/tr?next=//evil.example/x"); p.path != "/" {
		t.Fatalf("the switch followed an outside next to %s", p.path)
	}
	if p := tr.get("/lang/xx"); p.status != http.StatusNotFound {
		t.Fatalf("an unknown language: %d", p.status)
	}
	wantText(t, e.client("de-DE,de").get("/login"), `lang="en"`)
}
