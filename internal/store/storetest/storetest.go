// Package storetest opens real ajans databases for tests: SQLite in a
// temporary folder, and PostgreSQL in a schema of its own on the server named
// by AJANS_TEST_DATABASE_URL, dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/ajans/ajans/internal/store"
)

// EnvPostgres names the variable holding the PostgreSQL server for tests.
const EnvPostgres = "AJANS_TEST_DATABASE_URL"

// Kinds are the databases every store test runs against.
var Kinds = []string{"sqlite", "postgres"}

// Each runs fn as a subtest once per database kind with a new database of
// that kind. The PostgreSQL run is skipped, with a line saying so, when
// AJANS_TEST_DATABASE_URL is unset.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	EachKind(t, func(t *testing.T, kind string) { fn(t, Open(t, kind)) })
}

// EachKind runs fn as a subtest once per database kind, named after it.
func EachKind(t *testing.T, fn func(t *testing.T, kind string)) {
	t.Helper()
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			if kind == "postgres" && os.Getenv(EnvPostgres) == "" {
				t.Skip(EnvPostgres + " is not set; skipping the PostgreSQL run")
			}
			fn(t, kind)
		})
	}
}

// Open returns a migrated database of the given kind, closed at cleanup.
func Open(tb testing.TB, kind string) *store.DB {
	tb.Helper()
	url := ""
	if kind == "postgres" {
		url = Schema(tb)
	}
	db, err := store.Open(url, tb.TempDir())
	if err != nil {
		tb.Fatalf("open %s: %v", kind, err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", kind, err)
	}
	return db
}

// Schema creates an empty schema on the test PostgreSQL server, drops it at
// cleanup, and returns a URL whose connections use it. It skips the test
// when AJANS_TEST_DATABASE_URL is unset.
func Schema(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		tb.Skip(EnvPostgres + " is not set; skipping the PostgreSQL run")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	tb.Cleanup(func() { admin.Close() })

	b := make([]byte, 8)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}
