package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
)

// creditsPerApp is what each bench app holds: far more than a run spends
// (a message holds about 45 credits and is charged 1 or 2).
const creditsPerApp = 10_000

// seed creates one business user with n apps in the database at url (""
// for SQLite in dataDir), each holding creditsPerApp, and returns the apps'
// tokens. It writes through the store, as `ajans app create` and `app
// transfer` do, only faster.
func seed(ctx context.Context, url, dataDir string, n int) ([]string, error) {
	db, err := store.Open(url, dataDir)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	u := &ajans.User{Email: "bench@ajans.local", Plan: "business"}
	if err := db.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	if _, _, err := db.GrantUser(ctx, u.ID, int64(n)*creditsPerApp, store.KindGrant,
		"bench", ""); err != nil {
		return nil, err
	}

	tokens := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	work := make(chan int)
	workers := 4 // SQLite has one writer: more would only queue
	if db.Postgres() {
		workers = 32 // PostgreSQL commits side by side
	}
	for range workers {
		wg.Go(func() {
			for i := range work {
				tokens[i], errs[i] = seedApp(ctx, db, u.ID, i)
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return tokens, nil
}

// seedApp creates app number i of the user and moves credits to it.
func seedApp(ctx context.Context, db *store.DB, userID int64, i int) (string, error) {
	token := ajans.MustNewToken()
	app, err := db.CreateApp(ctx, userID, fmt.Sprintf("bench %d", i),
		ajans.HashToken(token), ajans.ShowToken(token))
	if err != nil {
		return "", err
	}
	if _, _, err := db.Transfer(ctx, userID, app.ID, creditsPerApp); err != nil {
		return "", fmt.Errorf("fund app %d: %w", i, err)
	}
	return token, nil
}

// pgSchema creates an empty schema on the PostgreSQL server at base and
// returns a URL whose connections use it, and a function that drops it.
func pgSchema(ctx context.Context, base string) (string, func(), error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, fmt.Errorf("open postgres: %w", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, drop, nil
}
