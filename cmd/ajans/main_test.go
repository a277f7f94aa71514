package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/store"
)

// TestHelp checks that -h prints usage on stdout and succeeds.
func TestHelp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"ajans -h", []string{"-h"}, "commands:"},
		{"ajans --help", []string{"--help"}, "app transfer --token T --amount N"},
		{"serve -h", []string{"serve", "-h"}, "-addr"},
		{"app transfer -h", []string{"app", "transfer", "-h"}, "at least 1000"},
		{"user create -h", []string{"user", "create", "-h"}, "free, starter, pro or business"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, t.TempDir(), nil, tc.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and nothing", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "usage: ajans") || !strings.Contains(r.stdout, tc.want) {
				t.Errorf("stdout lacks usage or %q:\n%s", tc.want, r.stdout)
			}
		})
	}
}

// TestAdminFlow runs the admin commands a new operator runs, then serves the
// app they made against a mock model.
func TestAdminFlow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustRun(t, dir, nil, "user", "create", "--email", "Ada@Example.com", "--plan", "pro",
		"--password", "s3cret-enough")
	// The pro plan's monthly 100,000 credits land when the user is created.
	out := mustRun(t, dir, nil, "credit", "grant", "--email", "ada@example.com", "--amount", "5000")
	if !strings.Contains(out, "holds 105000") {
		t.Errorf("credit grant said %q; want the account to hold 105000", out)
	}
	token := createApp(t, dir, "ada@example.com", "site")
	out = mustRun(t, dir, nil, "app", "transfer", "--token", token, "--amount", "1000")
	if !strings.Contains(out, "the app holds 1000, the account 104000") {
		t.Errorf("app transfer said %q", out)
	}
	if got := listBalance(t, dir, "ada@example.com", "site"); got != 1000 {
		t.Errorf("app list shows balance %d; want 1000", got)
	}

	modelURL := startMock(t)
	env := map[string]string{"AJANS_OPENAI_BASE_URL": modelURL, "AJANS_MODEL": "mock"}
	s := startServe(t, dir, env)
	if got := creditOf(t, s.url, token); got != 1000 {
		t.Fatalf("credit answers %d; want 1000", got)
	}
	status, a := newChat(t, s.url, token, "Hello, who are you?")
	if status != http.StatusOK {
		t.Fatalf("newChat: %d %+v", status, a.Error)
	}
	if a.Message != "Hello, who are you?" || a.ChatID <= 0 || a.Usage.Credits <= 0 {
		t.Errorf("newChat answered %+v; want the echo, a chat id and a cost", a)
	}
	want := 1000 - a.Usage.Credits
	if a.RemainingCredit != want || creditOf(t, s.url, token) != want {
		t.Errorf("remaining credit %d; want %d", a.RemainingCredit, want)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("serve exited %d; want 0", code)
	}
}

// result is what one run of Main did.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs Main with the data folder dir and the environment env, and
// nothing of the real environment.
func runCLI(tb testing.TB, dir string, env map[string]string, args ...string) result {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"--data", dir}, args...)
	code := Main(context.Background(), args, &stdout, &stderr, getenv(env))
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustRun runs Main as runCLI does and returns its stdout; it fails the test
// unless the command succeeds without a word on stderr.
func mustRun(tb testing.TB, dir string, env map[string]string, args ...string) string {
	tb.Helper()
	r := runCLI(tb, dir, env, args...)
	if r.code != 0 || r.stderr != "" {
		tb.Fatalf("ajans %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

func getenv(env map[string]string) func(string) string {
	return func(name string) string { return env[name] }
}

// createApp makes an app and returns its token, the last line of stdout.
func createApp(tb testing.TB, dir, email, name string) string {
	tb.Helper()
	out := mustRun(tb, dir, nil, "app", "create", "--email", email, "--name", name)
	token := lastLine(out)
	if !ajans.ValidTokenShape(token) {
		tb.Fatalf("app create: last line %q is not a token; stdout:\n%s", token, out)
	}
	return token
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// listBalance returns the balance `app list` shows for the app named name.
func listBalance(tb testing.TB, dir, email, name string) int64 {
	tb.Helper()
	out := mustRun(tb, dir, nil, "app", "list", "--email", email)
	for _, line := range strings.Split(out, "\n")[1:] {
		f := strings.Fields(line)
		if len(f) >= 4 && f[1] == name {
			n, err := strconv.ParseInt(f[3], 10, 64)
			if err != nil {
				tb.Fatalf("app list: balance %q: %v", f[3], err)
			}
			return n
		}
	}
	tb.Fatalf("app list has no app %q:\n%s", name, out)
	return 0
}

// startMock serves the mock model for the test's lifetime.
func startMock(tb testing.TB) string {
	tb.Helper()
	url, stop, err := mock.Start(mock.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return url
}

// syncBuffer is a buffer the server's goroutines may write while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serving is `ajans serve` running in the test.
type serving struct {
	url            string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan int

	once sync.Once
	code int
}

// servingLine finds the address in the log line the server writes once it
// listens.
var servingLine = regexp.MustCompile(`msg="ajans is serving" url=(\S+)`)

// startServe runs `ajans --data dir serve --addr 127.0.0.1:0 args...` and
// waits until it listens. It is stopped when the test ends.
func startServe(tb testing.TB, dir string, env map[string]string, args ...string) *serving {
	tb.Helper()
	args = append([]string{"--data", dir, "serve", "--addr", "127.0.0.1:0"}, args...)
	return startMain(tb, env, args...)
}

// startMain runs Main with args in the background until it logs that it
// serves.
func startMain(tb testing.TB, env map[string]string, args ...string) *serving {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel,
		done: make(chan int, 1)}
	go func() { s.done <- Main(ctx, args, s.stdout, s.stderr, getenv(env)) }()
	tb.Cleanup(func() { s.stop(tb) })

	m := waitFor(tb, s, func() []string { return servingLine.FindStringSubmatch(s.stderr.String()) })
	s.url = m[1]
	return s
}

// waitFor polls find until it returns a match; it fails the test when the
// server exits first or takes more than 10 seconds.
func waitFor(tb testing.TB, s *serving, find func() []string) []string {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := find(); m != nil {
			return m
		}
		select {
		case code := <-s.done:
			s.done <- code
			tb.Fatalf("serve exited %d before it was ready; stderr:\n%s", code, s.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	tb.Fatalf("serve did not get ready; stderr:\n%s", s.stderr.String())
	return nil
}

// stop ends the server as SIGTERM would and returns its exit code.
func (s *serving) stop(tb testing.TB) int {
	tb.Helper()
	s.once.Do(func() {
		s.cancel()
		select {
		case s.code = <-s.done:
		case <-time.After(15 * time.Second):
			tb.Errorf("serve did not stop; stderr:\n%s", s.stderr.String())
			s.code = -1
		}
	})
	return s.code
}

// answer is an API reply: a chat reply, a balance or an error.
type answer struct {
	ChatID          int64  `json:"chat_id"`
	Message         string `json:"message"`
	RemainingCredit int64  `json:"remaining_credit"`
	Credit          int64  `json:"credit"`
	Status          string `json:"status"`
	Usage           struct {
		Credits int64 `json:"credits"`
	} `json:"usage"`
	Error *struct {
		Status  int    `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// call sends a request with an optional JSON body and decodes the answer,
// which must be JSON.
func call(tb testing.TB, method, url string, body any) (int, answer, error) {
	tb.Helper()
	var r *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(b)
	} else {
		r = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, answer{}, err
	}
	defer resp.Body.Close()
	var a answer
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		tb.Errorf("%s %s: Content-Type %q; want JSON", method, url, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		tb.Errorf("%s %s: %d with a body that is not JSON: %v", method, url, resp.StatusCode, err)
	}
	return resp.StatusCode, a, nil
}

// creditOf returns the app's balance through the API.
func creditOf(tb testing.TB, base, token string) int64 {
	tb.Helper()
	status, a, err := call(tb, http.MethodGet, base+"/api/v2/credit/"+token, nil)
	if err != nil || status != http.StatusOK {
		tb.Fatalf("credit: %d %v %+v", status, err, a.Error)
	}
	return a.Credit
}

// newChat starts a chat with assistant 16.
func newChat(tb testing.TB, base, token, message string) (int, answer) {
	tb.Helper()
	status, a, err := call(tb, http.MethodPost, base+"/api/v2/newChat/16/"+token,
		map[string]string{"message": message})
	if err != nil {
		tb.Fatalf("newChat: %v", err)
	}
	return status, a
}

// openStore opens the SQLite file in dir, for checks after Main returned.
func openStore(tb testing.TB, dir string) *store.DB {
	tb.Helper()
	db, err := store.Open("", dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// appOf returns the app with token from db.
func appOf(tb testing.TB, db *store.DB, token string) *ajans.App {
	tb.Helper()
	app, err := db.AppByTokenHash(context.Background(), ajans.HashToken(token))
	if err != nil {
		tb.Fatal(err)
	}
	return app
}
