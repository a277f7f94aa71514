package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ajans/ajans/internal/store/storetest"
)

// TestDataFolder checks where the SQLite file goes: --data, else
// AJANS_DATA_DIR, and that a database URL that is not PostgreSQL is refused.
func TestDataFolder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		envDir  bool // set AJANS_DATA_DIR
		flagDir bool // give --data
		want    string
	}{
		{"AJANS_DATA_DIR", true, false, "env"},
		{"--data", false, true, "flag"},
		{"--data wins over AJANS_DATA_DIR", true, true, "flag"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			env := map[string]string{}
			var args []string
			if tc.envDir {
				env["AJANS_DATA_DIR"] = filepath.Join(root, "env")
			}
			if tc.flagDir {
				args = append(args, "--data", filepath.Join(root, "flag"))
			}
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), append(args, "migrate"), &stdout, &stderr, getenv(env))
			if code != 0 {
				t.Fatalf("migrate: exit %d, %s", code, stderr.String())
			}
			entries, err := os.ReadDir(root)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Name() != tc.want {
				t.Errorf("made %v in the folder; want only %q", entries, tc.want)
			}
			if _, err := os.Stat(filepath.Join(root, tc.want, "ajans.db")); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("not a PostgreSQL URL", func(t *testing.T) {
		t.Parallel()
		for _, env := range []map[string]string{
			{"AJANS_DATABASE_URL": "mysql://root@localhost/ajans"},
			nil,
		} {
			args := []string{"migrate"}
			if env == nil {
				args = []string{"--database-url", "mysql://root@localhost/ajans", "migrate"}
			}
			r := runCLI(t, t.TempDir(), env, args...)
			if r.code == 0 || strings.Count(r.stderr, "\n") != 1 ||
				!strings.Contains(r.stderr, "want postgres://") {
				t.Errorf("%v: exit %d, stderr %q; want one line asking for postgres://",
					args, r.code, r.stderr)
			}
		}
	})
}

// TestPostgres runs the admin commands and the server on PostgreSQL given
// by --database-url, when the test server is there.
func TestPostgres(t *testing.T) {
	t.Parallel()
	url := storetest.Schema(t)
	dir := t.TempDir()
	db := []string{"--database-url", url}
	mustRun(t, dir, nil, append(db, "user", "create", "--email", "pg@example.com", "--plan",
		"business")...)
	mustRun(t, dir, nil, append(db, "credit", "grant", "--email", "pg@example.com",
		"--amount", "3000")...)
	out := mustRun(t, dir, nil, append(db, "app", "create", "--email", "pg@example.com",
		"--name", "pgapp")...)
	token := lastLine(out)
	mustRun(t, dir, nil, append(db, "app", "transfer", "--token", token, "--amount", "2000")...)

	env := map[string]string{"AJANS_DATABASE_URL": url, "AJANS_OPENAI_BASE_URL": startMock(t),
		"AJANS_MODEL": "mock"}
	s := startServe(t, dir, env)
	if got := creditOf(t, s.url, token); got != 2000 {
		t.Errorf("credit answers %d; want 2000", got)
	}
	if !strings.Contains(s.stderr.String(), "database=postgres") {
		t.Errorf("the server does not say it uses PostgreSQL:\n%s", s.stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "ajans.db")); err == nil {
		t.Error("a SQLite file was made although a PostgreSQL URL was given")
	}
}
