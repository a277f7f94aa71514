package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/ajans/ajans/internal/web"
)

var grantRef = regexp.MustCompile(`name="ref" value="([^"]+)"`)

func TestAdminPlansAndPackages(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.SignupPlan = "free" })
	admin := e.client("en")
	admin.signup("admin@example.com")
	user := e.client("en")
	u := user.signup("ali@example.com")
	path := "/admin/users/" + itoa(u.ID)

	p := admin.post(path+"/plan", url.Values{"plan": {"gold"}})
	wantText(t, p, "no such plan")
	p = admin.post(path+"/plan", url.Values{"plan": {"business"}})
	wantText(t, p, "The plan is now business; 500,000 credits were loaded.")
	if got := e.user(u.ID); got.Plan != "business" || got.Balance != 500_000 {
		t.Fatalf("after the plan change: %+v", got)
	}

	ref := grantRef.FindStringSubmatch(admin.get(path).body)[1]
	grant := url.Values{"amount": {"10.000"}, "note": {"İade"}, "ref": {ref}}
	wantText(t, admin.post(path+"/package", grant), "Granted 10,000 credits to ali@example.com")
	wantText(t, admin.post(path+"/package", grant), "granted already")
	for _, bad := range []string{"0", "-1", "abc", "100000001"} {
		grant.Set("amount", bad)
		wantText(t, admin.post(path+"/package", grant), "A package holds 1 to")
	}
	if got := e.user(u.ID); got.Balance != 510_000 || got.PackageCredit() != 10_000 {
		t.Fatalf("after the grants: balance %d, package %d", got.Balance, got.PackageCredit())
	}
	wantText(t, admin.get(path), "package", "allowance", "İade")

	if p := user.post(path+"/package", grant); p.status != http.StatusNotFound {
		t.Fatalf("a user granting: %d", p.status)
	}
	if p := admin.get("/admin/users/999"); p.status != http.StatusNotFound {
		t.Fatalf("no such user: %d", p.status)
	}
	wantText(t, admin.get("/admin?q=ali"), "ali@example.com")
}

func TestAdminAssistantsAndProviders(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/models" || r.Header.Get("Authorization") != "Bearer k" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"data":[]}`))
	}))
	defer up.Close()
	e := newEnv(t, func(c *web.Config) {
		c.Providers = []web.Provider{{Name: "good", BaseURL: up.URL + "/v1", APIKey: "k"},
			{Name: "nokey", BaseURL: up.URL + "/v1"}, {Name: "down", BaseURL: "http://127.0.0.1:1"}}
	})
	admin := e.client("tr")
	admin.signup("admin@example.com")
	p := admin.get("/admin/providers")
	wantText(t, p, "✓ sağlıklı", "401 Unauthorized", "unreachable")
	wantText(t, admin.get("/admin/assistants"), "Yazılım Geliştirici", "Software Developer")
}
