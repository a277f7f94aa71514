package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
)

// TestMistakes checks that each wrong call exits non-zero with one line on
// stderr that says what to do, and changes nothing.
func TestMistakes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	token := setupApp(t, dir, "ada@example.com", 1500, 1000)
	unknownToken := ajans.MustNewToken()

	cases := []struct {
		name string
		args []string
		code int
		want string // part of the line on stderr
	}{
		{"no command", nil, 2, "try ajans serve --dev"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate" (see ajans -h)`},
		{"group without subcommand", []string{"app"}, 2, "app create, app transfer or app list"},
		{"unknown subcommand", []string{"user", "delete"}, 2, `unknown command "user delete"`},
		{"unknown global flag", []string{"--nope", "migrate"}, 2, "-nope"},
		{"unknown flag", []string{"app", "list", "--email", "ada@example.com", "--bogus"}, 2,
			"not defined: -bogus (see ajans app list -h)"},
		{"unexpected argument", []string{"app", "list", "--email", "ada@example.com", "extra"}, 2,
			`unexpected argument "extra"`},
		{"missing required flag", []string{"credit", "grant", "--email", "ada@example.com"}, 2,
			"--amount is required"},
		{"missing email", []string{"user", "create", "--plan", "pro"}, 2, "--email is required"},
		{"unknown plan", []string{"user", "create", "--email", "bo@example.com", "--plan", "gold"}, 2,
			`unknown plan "gold": use free, starter, pro or business`},
		{"not an e-mail", []string{"user", "create", "--email", "bo", "--plan", "pro"}, 2,
			"not an e-mail address"},
		{"duplicate user", []string{"user", "create", "--email", "ADA@example.com", "--plan", "free"},
			1, "exists already: pick another e-mail"},
		{"grant to unknown e-mail",
			[]string{"credit", "grant", "--email", "nobody@example.com", "--amount", "10"}, 1,
			"create one with ajans user create --email nobody@example.com"},
		{"non-numeric amount",
			[]string{"credit", "grant", "--email", "ada@example.com", "--amount", "lots"}, 2,
			"want a whole number of credits"},
		{"negative grant",
			[]string{"credit", "grant", "--email", "ada@example.com", "--amount", "-5"}, 2,
			"above 0"},
		{"app for unknown e-mail",
			[]string{"app", "create", "--email", "nobody@example.com", "--name", "x"}, 1,
			"ajans user create"},
		{"transfer too few", []string{"app", "transfer", "--token", token, "--amount", "999"}, 2,
			"Transfer at least 1000 credits"},
		{"transfer more than the account holds",
			[]string{"app", "transfer", "--token", token, "--amount", "100501"}, 1,
			"holds 100500 credits, fewer than 100501: add credits with ajans credit grant"},
		{"malformed token", []string{"app", "transfer", "--token", "abc", "--amount", "1000"}, 2,
			"use the token ajans app create printed"},
		{"unknown token", []string{"app", "transfer", "--token", unknownToken, "--amount", "1000"},
			1, "no app has this token"},
		{"list for unknown e-mail", []string{"app", "list", "--email", "nobody@example.com"}, 1,
			"no user has the e-mail"},
	}

	before := snapshotOf(t, dir, token)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, dir, nil, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d; want %d", r.code, tc.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q; want nothing", r.stdout)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") ||
				!strings.HasPrefix(r.stderr, "ajans: ") {
				t.Errorf("stderr %q; want one line that starts with \"ajans: \"", r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr %q; want it to say %q", r.stderr, tc.want)
			}
			if after := snapshotOf(t, dir, token); after != before {
				t.Errorf("the data changed: %+v, then %+v", before, after)
			}
		})
	}
}

// setupApp makes a pro user with the e-mail, grants the account credits,
// makes an app and moves transfer credits to it. It returns the app's token.
func setupApp(tb testing.TB, dir, email string, credits, transfer int64) string {
	tb.Helper()
	mustRun(tb, dir, nil, "user", "create", "--email", email, "--plan", "pro")
	mustRun(tb, dir, nil, "credit", "grant", "--email", email, "--amount", itoa(credits))
	token := createApp(tb, dir, email, "app")
	if transfer > 0 {
		mustRun(tb, dir, nil, "app", "transfer", "--token", token, "--amount", itoa(transfer))
	}
	return token
}

// snapshot is what a failed command must leave as it was.
type snapshot struct {
	userBalance, appBalance, ledgerSum int64
	apps                               int
	strangers                          string // users that must not exist
}

func snapshotOf(tb testing.TB, dir, token string) snapshot {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open("", dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	app := appOf(tb, db, token)
	u, err := db.UserByID(ctx, app.UserID)
	if err != nil {
		tb.Fatal(err)
	}
	apps, err := db.AppsByUser(ctx, u.ID)
	if err != nil {
		tb.Fatal(err)
	}
	sum, err := db.LedgerSum(ctx, app.ID)
	if err != nil {
		tb.Fatal(err)
	}
	s := snapshot{userBalance: u.Balance, appBalance: app.Balance, ledgerSum: sum, apps: len(apps)}
	for _, email := range []string{"bo@example.com", "bo", "nobody@example.com"} {
		if _, err := db.UserByEmail(ctx, email); ajans.ErrorCode(err) != ajans.ENOTFOUND {
			s.strangers += email + " "
		}
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
