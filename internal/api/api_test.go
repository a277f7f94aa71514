package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/api"
	"github.com/ajans/ajans/internal/apitest"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/blob"
	"github.com/ajans/ajans/internal/catalog"
	"github.com/ajans/ajans/internal/chat"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/llm/openai"
	"github.com/ajans/ajans/internal/ratelimit"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
	"github.com/ajans/ajans/internal/tokens"
)

var ctx = context.Background()

// env is ajans' API over real HTTP, on a real database, talking to the mock
// model over real HTTP, with one app ready to call it.
type env struct {
	t     testing.TB
	db    *store.DB
	url   string
	token string
	app   *ajans.App
	v     *apitest.Validator
	log   *syncWriter
	clock *clock // the rate limiter's

	blobDir  string // the disk blob store's folder
	spoolDir string // where uploads wait while their message is sent
}

type options struct {
	kind      string // database kind, "sqlite" by default
	credits   int64  // the app's balance
	plan      string
	rules     billing.Rules
	mockDelay time.Duration
	models    chat.Models // nil: the mock model
	timeout   time.Duration
	plans     []ajans.Plan // nil: ajans.DefaultPlans()
	noBlobs   bool         // run without file storage
	engine    func(*chat.Config)
}

func newEnv(tb testing.TB, opts options) *env {
	tb.Helper()
	if opts.kind == "" {
		opts.kind = "sqlite"
	}
	if opts.plan == "" {
		opts.plan = "business"
	}
	if opts.rules == (billing.Rules{}) {
		opts.rules = billing.DefaultRules()
	}
	if opts.timeout == 0 {
		opts.timeout = 5 * time.Second
	}
	e := &env{t: tb, db: storetest.Open(tb, opts.kind), v: apitest.NewValidator(tb),
		log: &syncWriter{w: &strings.Builder{}}, clock: &clock{now: time.Now()}}

	models := opts.models
	if models == nil {
		model := httptest.NewServer(mock.New(mock.Options{Delay: opts.mockDelay}))
		tb.Cleanup(model.Close)
		models = llm.NewRegistry("mock/mock", openai.New(openai.Config{
			Name: "mock", BaseURL: model.URL + "/v1", MaxRetries: -1, Timeout: opts.timeout}))
	}
	assistants, err := catalog.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	team := catalog.NewTeam(assistants)
	log := newLogger(e.log)
	cfg := chat.Config{Store: e.db, Team: team, Models: models, Rules: opts.rules,
		Count: tokens.Count, Log: log}
	if !opts.noBlobs {
		e.blobDir, e.spoolDir = filepath.Join(tb.TempDir(), "files"), tb.TempDir()
		blobs, err := blob.NewDisk(e.blobDir)
		if err != nil {
			tb.Fatal(err)
		}
		cfg.Blobs, cfg.SpoolDir = blobs, e.spoolDir
	}
	if opts.engine != nil {
		opts.engine(&cfg)
	}
	if opts.plans == nil {
		// The defaults, and "solo": API access and nothing else.
		opts.plans = append(ajans.DefaultPlans(), ajans.Plan{Name: "solo",
			Features: []string{ajans.FeatureAPIAccess}, RatePerMinute: 60})
	}
	engine := chat.New(cfg)
	srv := httptest.NewServer(api.New(api.Config{Store: e.db, Team: team, Engine: engine,
		Limiter: ratelimit.NewMemory(1000, e.clock.Now), Plans: opts.plans,
		Rules: opts.rules, Log: log}))
	tb.Cleanup(srv.Close)
	e.url = srv.URL

	e.token, e.app = e.newApp("dev@example.com", opts.plan, opts.credits)
	return e
}

// clock is a time that tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newApp creates a user on plan with an app holding credits, and returns
// the app's token.
func (e *env) newApp(email, plan string, credits int64) (string, *ajans.App) {
	e.t.Helper()
	u := &ajans.User{Email: email, Plan: plan}
	if err := e.db.CreateUser(ctx, u); err != nil {
		e.t.Fatal(err)
	}
	token := ajans.MustNewToken()
	app, err := e.db.CreateApp(ctx, u.ID, "test app", ajans.HashToken(token), ajans.ShowToken(token))
	if err != nil {
		e.t.Fatal(err)
	}
	if credits > 0 {
		e.db.GrantUser(ctx, u.ID, credits, store.KindGrant, "", "")
		if _, _, err := e.db.Transfer(ctx, u.ID, app.ID, credits); err != nil {
			e.t.Fatal(err)
		}
	}
	return token, app
}

// response is what one call got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.body, err)
	}
}

// code returns the error code of an error response.
func (r response) code() string {
	var body struct{ Error struct{ Code string } }
	json.Unmarshal(r.body, &body)
	return body.Error.Code
}

// call sends a request and holds the response against docs/openapi.yaml.
func (e *env) call(method, path, contentType string, body io.Reader) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	e.v.Check(e.t, req, resp.StatusCode, resp.Header, data)
	return response{resp.StatusCode, resp.Header, data}
}

func (e *env) get(path string) response { return e.call(http.MethodGet, path, "", nil) }

func (e *env) postJSON(path string, v any) response {
	b, _ := json.Marshal(v)
	return e.call(http.MethodPost, path, "application/json", bytes.NewReader(b))
}

func (e *env) postForm(path string, fields map[string]string) response {
	form := url.Values{}
	for k, v := range fields {
		form.Set(k, v)
	}
	return e.call(http.MethodPost, path, "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()))
}

func (e *env) postMultipart(path string, fields map[string]string) response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return e.call(http.MethodPost, path, mw.FormDataContentType(), &buf)
}

// chatReply is the reply of newChat and sendMessage.
type chatReply struct {
	ChatID          int64  `json:"chat_id"`
	Message         string `json:"message"`
	RemainingCredit int64  `json:"remaining_credit"`
	IsImage         bool   `json:"is_image"`
	Usage           struct {
		MessageTokens  int   `json:"message_tokens"`
		ResponseTokens int   `json:"response_tokens"`
		Credits        int64 `json:"credits"`
	} `json:"usage"`
}

func (e *env) newChat(aiID, message string) chatReply {
	e.t.Helper()
	r := e.postJSON("/api/v2/newChat/"+aiID+"/"+e.token, map[string]string{"message": message})
	if r.status != http.StatusOK {
		e.t.Fatalf("newChat: %d %s", r.status, r.body)
	}
	var rep chatReply
	r.decode(e.t, &rep)
	return rep
}

// balance returns the app's balance and checks it equals its ledger's sum.
func (e *env) balance() int64 {
	e.t.Helper()
	b, err := e.db.AppBalance(ctx, e.app.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	if sum, _ := e.db.LedgerSum(ctx, e.app.ID); sum != b {
		e.t.Fatalf("ledger sum %d != balance %d", sum, b)
	}
	return b
}

// chatCount returns how many chats the app has with assistant 16.
func (e *env) chatCount() int {
	e.t.Helper()
	chats, err := e.db.ChatsWith(ctx, e.app.ID, 16)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(chats)
}
