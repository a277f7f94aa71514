package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ajans/ajans"
)

// TestShutdown cancels Main's context, as SIGTERM does, while a chat waits
// for the model: within the drain time the chat completes and is charged;
// past it the chat is cut off and charged nothing.
func TestShutdown(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, drain, message string
		completes            bool
	}{
		{"drained", "5s", "mock:sleep 1s", true},
		{"cut off", "200ms", "mock:sleep 5s", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, token := t.TempDir(), ajans.MustNewToken()
			env := map[string]string{"AJANS_DEV_TOKEN": token, "AJANS_DRAIN_TIMEOUT": tc.drain}
			s := startServe(t, dir, env, "--dev")
			before := creditOf(t, s.url, token)

			replies := make(chan chatResult, 1)
			go func() { replies <- postChat(s.url, token, tc.message) }()
			waitForHold(t, dir, token, before)
			if code := s.stop(t); code != 0 {
				t.Errorf("serve exited %d; want 0", code)
			}
			r := <-replies

			// The server is gone: look at the database itself.
			db := openStore(t, dir)
			app := appOf(t, db, token)
			sum, err := db.LedgerSum(context.Background(), app.ID)
			if err != nil {
				t.Fatal(err)
			}
			if sum != app.Balance {
				t.Errorf("the ledger sums to %d, the balance is %d", sum, app.Balance)
			}
			switch {
			case tc.completes && (r.status != http.StatusOK || r.credits <= 0):
				t.Fatalf("the drained chat answered %d %v %s; want 200 and a cost",
					r.status, r.err, r.body)
			case tc.completes && app.Balance != before-r.credits:
				t.Errorf("balance %d after a chat that cost %d; want %d",
					app.Balance, r.credits, before-r.credits)
			case !tc.completes && r.status == http.StatusOK:
				t.Errorf("the chat completed past the drain time: %s", r.body)
			case !tc.completes && app.Balance != before:
				t.Errorf("balance %d after a cut-off chat; want %d, unchanged", app.Balance, before)
			}
		})
	}
}

// chatResult is what a chat sent while the server stops came back with.
type chatResult struct {
	status  int
	credits int64
	body    string
	err     error
}

// postChat starts a chat; it is safe to call outside the test's goroutine.
func postChat(base, token, message string) chatResult {
	body, _ := json.Marshal(map[string]string{"message": message})
	resp, err := http.Post(base+"/api/v2/newChat/16/"+token, "application/json",
		bytes.NewReader(body))
	if err != nil {
		return chatResult{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	r := chatResult{status: resp.StatusCode, body: string(b), err: err}
	var a answer
	if json.Unmarshal(b, &a) == nil {
		r.credits = a.Usage.Credits
	}
	return r
}

// waitForHold waits until the app holds less than before: the chat has
// reserved its credits and waits for the model.
func waitForHold(tb testing.TB, dir, token string, before int64) {
	tb.Helper()
	db := openStore(tb, dir)
	app := appOf(tb, db, token)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		balance, err := db.AppBalance(context.Background(), app.ID)
		if err != nil {
			tb.Fatal(err)
		}
		if balance < before {
			db.Close()
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	tb.Fatal("the chat never reserved credits")
}

// TestServeStartErrors checks that a server that cannot start says why in
// one line and exits non-zero.
func TestServeStartErrors(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { taken.Close() })

	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"address taken", nil, []string{"--addr", taken.Addr().String()}, "choose another with --addr"},
		{"bad drain time", map[string]string{"AJANS_DRAIN_TIMEOUT": "later"}, nil,
			"AJANS_DRAIN_TIMEOUT"},
		{"provider without model", map[string]string{"AJANS_OPENAI_BASE_URL": "http://127.0.0.1:1/v1"},
			nil, "set AJANS_MODEL"},
		{"bad dev token", map[string]string{"AJANS_DEV_TOKEN": "short"}, []string{"--dev"},
			"AJANS_DEV_TOKEN must be"},
		{"bad log level", map[string]string{"AJANS_LOG_LEVEL": "loud"}, nil, "log level"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)
			r := runCLI(t, t.TempDir(), tc.env, args...)
			if r.code == 0 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want non-zero and one line with %q",
					r.code, r.stderr, tc.want)
			}
		})
	}
}
