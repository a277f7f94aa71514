package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ajans/ajans"
)

// TestServeDev checks the demo set-up of `serve --dev` and that a second
// start on the same data folder reuses it.
func TestServeDev(t *testing.T) {
	t.Parallel()

	t.Run("AJANS_DEV_TOKEN", func(t *testing.T) {
		t.Parallel()
		dir, token := t.TempDir(), ajans.MustNewToken()
		env := map[string]string{"AJANS_DEV_TOKEN": token}
		for run := 1; run <= 2; run++ {
			s := startServe(t, dir, env, "--dev")
			if got := creditOf(t, s.url, token); got <= 0 {
				t.Errorf("run %d: the demo app holds %d credits; want some", run, got)
			}
			checkHealth(t, s.url)
			status, a := newChat(t, s.url, token, "hello")
			if status != http.StatusOK || a.Message != "hello" {
				t.Errorf("run %d: newChat answered %d %+v; want the mock's echo", run, status, a)
			}
			if code := s.stop(t); code != 0 {
				t.Fatalf("run %d: serve exited %d", run, code)
			}
		}
		out := mustRun(t, dir, nil, "app", "list", "--email", "demo@ajans.local")
		if rows := strings.Count(strings.TrimSpace(out), "\n"); rows != 1 {
			t.Errorf("the demo user has %d apps after two starts; want 1:\n%s", rows, out)
		}
		r := runCLI(t, dir, nil, "user", "create", "--email", "demo@ajans.local", "--plan", "pro")
		if r.code == 0 {
			t.Error("a second demo user could be made; the first was not kept")
		}
	})

	t.Run("token kept in the data folder", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		var tokens []string
		for run := 1; run <= 2; run++ {
			s := startServe(t, dir, nil, "--dev")
			m := waitFor(t, s, func() []string {
				return regexp.MustCompile(`dev app token: (\S+)\n`).FindStringSubmatch(s.stdout.String())
			})
			tokens = append(tokens, m[1])
			if got := creditOf(t, s.url, m[1]); got <= 0 {
				t.Errorf("run %d: the printed token's app holds %d credits", run, got)
			}
			s.stop(t)
		}
		kept, err := os.ReadFile(filepath.Join(dir, "dev-token"))
		if err != nil {
			t.Fatal(err)
		}
		if !ajans.ValidTokenShape(tokens[0]) || tokens[1] != tokens[0] ||
			strings.TrimSpace(string(kept)) != tokens[0] {
			t.Errorf("tokens printed %q, kept %q; want one token, printed twice and kept",
				tokens, kept)
		}
	})
}

// checkHealth checks that /healthz and /readyz answer 200 with JSON.
func checkHealth(tb testing.TB, base string) {
	tb.Helper()
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		status, a, err := call(tb, http.MethodGet, base+path, nil)
		if err != nil || status != http.StatusOK || a.Status != want {
			tb.Errorf("GET %s: %d %v %q; want 200 and status %q", path, status, err, a.Status, want)
		}
	}
}

// TestServeWithoutProvider checks that a server without a model starts,
// says what to set, and answers chats with a 503 that costs nothing.
func TestServeWithoutProvider(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	token := setupApp(t, dir, "ada@example.com", 5000, 1000)
	s := startServe(t, dir, nil)

	if !strings.Contains(s.stderr.String(), "AJANS_OPENAI_BASE_URL") {
		t.Errorf("the log does not name AJANS_OPENAI_BASE_URL:\n%s", s.stderr.String())
	}
	checkHealth(t, s.url)
	status, a := newChat(t, s.url, token, "hello")
	if status != http.StatusServiceUnavailable || a.Error == nil ||
		!strings.Contains(a.Error.Message, "AJANS_OPENAI_BASE_URL") {
		t.Errorf("newChat answered %d %+v; want 503 naming AJANS_OPENAI_BASE_URL", status, a.Error)
	}
	if got := creditOf(t, s.url, token); got != 1000 {
		t.Errorf("the app holds %d after a failed chat; want 1000", got)
	}
}

// TestServeConfigFile checks --config: the file sets the address and the
// providers, and a mistake in it is one line.
func TestServeConfigFile(t *testing.T) {
	t.Parallel()
	modelURL := startMock(t)

	t.Run("sets addr and providers", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		token := setupApp(t, dir, "ada@example.com", 2000, 1000)
		file := writeFile(t, "addr: 127.0.0.1:0\n"+
			"default_model: mock\n"+
			"drain_timeout: 2s\n"+
			"providers:\n"+
			"  - name: local\n"+
			"    base_url: "+modelURL+"\n")
		s := startMain(t, nil, "--data", dir, "serve", "--config", file)
		if status, a := newChat(t, s.url, token, "hi there"); status != http.StatusOK ||
			a.Message != "hi there" {
			t.Errorf("newChat answered %d %+v; want the echo of the configured model", status, a)
		}
		s.stop(t)
		if !strings.Contains(s.stderr.String(), "drain=2s") {
			t.Errorf("the drain time of the file was not used:\n%s", s.stderr.String())
		}
	})

	t.Run("empty file", func(t *testing.T) {
		t.Parallel()
		s := startServe(t, t.TempDir(), nil, "--config", writeFile(t, ""))
		checkHealth(t, s.url)
	})

	mistakes := []struct {
		name, yaml, want string
	}{
		{"unknown key", "addr: 127.0.0.1:0\nadress: 127.0.0.1:0\n", `line 2: unknown setting "adress"`},
		{"bad duration", "drain_timeout: soon\n", "soon"},
		{"unknown provider", "default_model: nosuch/x\nproviders:\n  - name: local\n" +
			"    base_url: " + modelURL + "\n", `there is no provider "nosuch"; configured: local`},
		{"not YAML", "addr: [\n", "config file"},
	}
	for _, tc := range mistakes {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, t.TempDir(), nil, "serve", "--addr", "127.0.0.1:0", "--config",
				writeFile(t, tc.yaml))
			if r.code == 0 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want non-zero and one line with %q", r.code, r.stderr, tc.want)
			}
		})
	}
}

func writeFile(tb testing.TB, text string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "ajans.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestCLIWhileServing runs credit grants and transfers through the CLI while
// the server answers chats on the same SQLite file.
func TestCLIWhileServing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	token := setupApp(t, dir, "ada@example.com", 20_000, 5000)
	env := map[string]string{"AJANS_OPENAI_BASE_URL": startMock(t), "AJANS_MODEL": "mock"}
	s := startServe(t, dir, env)

	// Chat from a few goroutines until the CLI is done.
	var spent, served atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chatUntil(t, s.url, token, stop, &spent, &served)
		}()
	}

	// The CLI starts once the server is answering, so the two overlap.
	for deadline := time.Now().Add(10 * time.Second); served.Load() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no chat was answered within 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	const rounds = 6
	for range rounds {
		mustRun(t, dir, nil, "credit", "grant", "--email", "ada@example.com", "--amount", "1000")
		mustRun(t, dir, nil, "app", "transfer", "--token", token, "--amount", "1000")
	}
	close(stop)
	wg.Wait()
	if code := s.stop(t); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	if strings.Contains(s.stderr.String(), "locked") {
		t.Errorf("the server met a locked database:\n%s", s.stderr.String())
	}
	t.Logf("served %d chats, spent %d", served.Load(), spent.Load())
	if served.Load() == 0 {
		t.Fatal("no chat was served beside the CLI")
	}

	db := openStore(t, dir)
	app := appOf(t, db, token)
	u, err := db.UserByID(context.Background(), app.UserID)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := db.LedgerSum(context.Background(), app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(100_000 + 20_000 - 5000); u.Balance != want { // with the pro allowance
		t.Errorf("the account holds %d; want %d", u.Balance, want)
	}
	if want := 5000 + rounds*1000 - spent.Load(); app.Balance != want || sum != want {
		t.Errorf("the app holds %d, its ledger sums to %d; want %d (%d chats cost %d)",
			app.Balance, sum, want, served.Load(), spent.Load())
	}
}

// chatUntil starts chats until stop is closed, adding up what they cost.
// A rate-limited call waits a little and costs nothing.
func chatUntil(tb testing.TB, base, token string, stop <-chan struct{},
	spent, served *atomic.Int64) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		status, a, err := call(tb, http.MethodPost, base+"/api/v2/newChat/16/"+token,
			map[string]string{"message": "tell me about ledgers"})
		switch {
		case err != nil:
			tb.Errorf("newChat: %v", err)
			return
		case status == http.StatusOK:
			spent.Add(a.Usage.Credits)
			served.Add(1)
		case status == http.StatusTooManyRequests:
			time.Sleep(50 * time.Millisecond)
		default:
			tb.Errorf("newChat: %d %+v", status, a.Error)
			return
		}
	}
}
