package main

import (
	"context"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
)

func TestSeedFundsEveryApp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tokens, err := seed(ctx, "", dir, 20)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seen := map[int64]bool{}
	for _, token := range tokens {
		c, err := db.CallerByTokenHash(ctx, ajans.HashToken(token))
		if err != nil {
			t.Fatalf("token %s: %v", ajans.ShowToken(token), err)
		}
		if c.Plan != "business" || seen[c.AppID] {
			t.Fatalf("caller %+v: want a business app of its own", c)
		}
		seen[c.AppID] = true
		if b, err := db.AppBalance(ctx, c.AppID); err != nil || b != creditsPerApp {
			t.Fatalf("app %d holds %d (%v), want %d", c.AppID, b, err, creditsPerApp)
		}
	}
}
