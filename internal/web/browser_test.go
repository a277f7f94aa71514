package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/crypto/bcrypt"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/api"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/catalog"
	"github.com/ajans/ajans/internal/chat"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/llm/openai"
	"github.com/ajans/ajans/internal/ratelimit"
	"github.com/ajans/ajans/internal/store/storetest"
	"github.com/ajans/ajans/internal/tokens"
	"github.com/ajans/ajans/internal/web"
)

// EnvScreenshots names the folder the browser test saves its screenshots in.
const EnvScreenshots = "AJANS_SCREENSHOT_DIR"

// newSite serves the API and the dashboard together, as `ajans serve`
// does, on a real SQLite database with the mock model over HTTP.
func newSite(tb testing.TB) string {
	tb.Helper()
	db := storetest.Open(tb, "sqlite")
	model := httptest.NewServer(mock.New(mock.Options{}))
	tb.Cleanup(model.Close)
	models := llm.NewRegistry("mock/mock", openai.New(openai.Config{
		Name: "mock", BaseURL: model.URL + "/v1", MaxRetries: -1, Timeout: 5 * time.Second}))
	assistants, err := catalog.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	team := catalog.NewTeam(assistants)
	rules, plans := billing.DefaultRules(), ajans.DefaultPlans()
	engine := chat.New(chat.Config{Store: db, Team: team, Models: models, Rules: rules,
		Count: tokens.Count})
	apiHandler := api.New(api.Config{Store: db, Team: team, Engine: engine,
		Limiter: ratelimit.NewMemory(1000, nil), Plans: plans, Rules: rules})
	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz"} {
		mux.Handle(p, apiHandler)
	}
	mux.Handle("/", web.New(web.Config{DB: db, Plans: plans, SignupPlan: "pro",
		Assistants: assistants, BcryptCost: bcrypt.MinCost,
		Providers: []web.Provider{{Name: "mock", BaseURL: model.URL + "/v1"}}}))
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// browser starts a headless Chromium, or skips the test when there is none.
func browser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("Chromium is not installed (apt-get install chromium); skipping the browser test")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("lang", "en-US"))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser and must not carry a timeout; the
	// steps after it each get one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// stepTimeout bounds each browser step, so a page that never shows fails
// the test instead of hanging it.
const stepTimeout = 20 * time.Second

func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// shooter saves full-page screenshots into one folder.
type shooter struct {
	t   *testing.T
	ctx context.Context
	dir string
}

func (s shooter) shot(name string) {
	s.t.Helper()
	png := run(s.t, s.ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(s.dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.t.Log("screenshot:", path)
}

// submit clicks a form's button and waits for the page it leads to.
func submit(t *testing.T, ctx context.Context, button string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		t.Fatalf("submit %s: %v", button, err)
	}
	if resp.Status >= 400 {
		t.Fatalf("submit %s: status %d", button, resp.Status)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(run(t, ctx, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

func step(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	run(t, ctx, what, chromedp.Steps(steps...))
}

// The whole path of a new user, in a real browser: sign up, see the plan,
// create an app, copy its token, move 1,000 credits to it, call the API
// with the token, and find the call on the usage page.
func TestBrowserSignUpToFirstCall(t *testing.T) {
	ctx := browser(t)
	site := newSite(t)
	dir := os.Getenv(EnvScreenshots)
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shoot := shooter{t, ctx, dir}

	// Sign up with the keyboard alone: Enter sends the form.
	step(t, ctx, "open sign-up", chromedp.Navigate(site+"/lang/en?next=/signup"),
		chromedp.SendKeys(chromedp.ID("email"), "ayse@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), goodPassword),
		chromedp.SendKeys(chromedp.ID("confirm"), goodPassword))
	step(t, ctx, "sign up", chromedp.SendKeys(chromedp.ID("confirm"), kb.Enter),
		chromedp.WaitVisible(chromedp.ID("plan-name")))
	if plan := text(t, ctx, "#plan-name"); plan != "pro" {
		t.Fatalf("the overview shows the plan %q", plan)
	}
	if got := text(t, ctx, "#account-balance"); got != "100,000" {
		t.Fatalf("the account holds %q", got)
	}
	shoot.shot("overview-en")

	// Create an app and copy its token.
	step(t, ctx, "open apps", chromedp.Navigate(site+"/apps"),
		chromedp.SendKeys(chromedp.ID("app-name"), "Müşteri botu"))
	submit(t, ctx, "#create-form button")
	allowClipboard(t, ctx, site)
	step(t, ctx, "copy the token", chromedp.Click(chromedp.ID("copy-token")))
	token := copiedToken(t, ctx)
	if !ajans.ValidTokenShape(token) {
		t.Fatalf("the copied token %q has the wrong shape", token)
	}
	shoot.shot("apps-en")

	// Move 1,000 credits to it.
	step(t, ctx, "fill the transfer", chromedp.SendKeys(chromedp.CSS(".transfer input"), "1000"))
	submit(t, ctx, ".transfer button")
	msg := text(t, ctx, "#flash")
	if !strings.Contains(msg, "Moved 1,000 credits to Müşteri botu") {
		t.Fatalf("the transfer said %q", msg)
	}
	if got := text(t, ctx, ".app .balance"); got != "1,000" {
		t.Fatalf("the app holds %q", got)
	}

	// Call the API with the token, from plain Go.
	remaining := callAPI(t, site, token)
	if remaining <= 0 || remaining >= 1000 {
		t.Fatalf("remaining_credit %d after one call", remaining)
	}

	// The call shows on the usage page.
	step(t, ctx, "open usage", chromedp.Navigate(site+"/usage"),
		chromedp.WaitVisible(chromedp.ID("calls")))
	row := text(t, ctx, "#calls tbody tr")
	if !strings.Contains(row, "Müşteri botu") || !strings.Contains(row, "Software Developer") {
		t.Fatalf("the usage page shows %q", row)
	}
	shoot.shot("usage-en")

	// The same pages in Turkish, through the remembered switch.
	submit(t, ctx, `a[hreflang="tr"]`)
	if h := text(t, ctx, "h1"); h != "Kullanım" {
		t.Fatalf("the Turkish usage page is titled %q", h)
	}
	shoot.shot("usage-tr")
	step(t, ctx, "overview in Turkish", chromedp.Navigate(site+"/"))
	if got := text(t, ctx, "#account-balance"); got != "99.000" {
		t.Fatalf("the Turkish overview shows %q", got)
	}
	shoot.shot("overview-tr")
	step(t, ctx, "apps in Turkish", chromedp.Navigate(site+"/apps"))
	shoot.shot("apps-tr")

	// A phone-sized screen: nothing runs off the side.
	step(t, ctx, "phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(site+"/apps"))
	if !run(t, ctx, "measure", chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth <= window.innerWidth`)) {
		t.Fatal("the apps page is wider than a phone")
	}
	shoot.shot("apps-tr-phone")
}

// copiedToken reads what the copy button put on the clipboard. A browser
// that refuses the clipboard must have said so on the page; then the token
// is taken from the page, as a user would select it.
func copiedToken(t *testing.T, ctx context.Context) string {
	t.Helper()
	run(t, ctx, "wait for the copy", chromedp.Poll[bool](
		`document.getElementById("copy-status").textContent !== ""`))
	status := text(t, ctx, "#copy-status")
	shown := text(t, ctx, "#new-token")
	if status != "Copied to the clipboard." {
		if !strings.Contains(status, "Could not copy") {
			t.Fatalf("the copy button said %q", status)
		}
		t.Logf("this browser refused the clipboard (%q); using the shown token", status)
		return shown
	}
	rctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	clip, err := chromedp.Run(rctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Logf("cannot read the clipboard back (%v); using the shown token", err)
		return shown
	}
	if clip != shown {
		t.Fatalf("the clipboard holds %q, the page shows %q", clip, shown)
	}
	return clip
}

// allowClipboard lets the test read back what the page copied.
func allowClipboard(t *testing.T, ctx context.Context, site string) {
	t.Helper()
	_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "clipboard-read"},
		Setting:    "granted", Origin: site})
	if err != nil {
		t.Logf("cannot grant clipboard-read (%v); the token will be read from the page", err)
	}
}

// callAPI starts a chat through API v2 and returns remaining_credit.
func callAPI(t *testing.T, site, token string) int64 {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"message": "Merhaba! Nasılsın?"})
	resp, err := http.Post(site+"/api/v2/newChat/16/"+token, "application/json",
		bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reply struct {
		ChatID          int64 `json:"chat_id"`
		RemainingCredit int64 `json:"remaining_credit"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil || resp.StatusCode != 200 {
		t.Fatalf("newChat: %d, %v", resp.StatusCode, err)
	}
	return reply.RemainingCredit
}
