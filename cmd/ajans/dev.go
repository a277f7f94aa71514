package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
)

// The demo account `serve --dev` keeps ready.
const (
	devEmail   = "demo@ajans.local"
	devPlan    = "business"
	devTopUp   = 100_000 // credits moved to the demo app when it runs low
	devLowMark = 10_000
)

// seedDev makes sure the demo user and its app exist and the app holds
// credits. The app's token is AJANS_DEV_TOKEN when set; otherwise one made
// on the first run and kept in the data folder, so it stays the same.
func seedDev(ctx context.Context, db *store.DB, cfg Config) (string, error) {
	token, err := devToken(cfg)
	if err != nil {
		return "", err
	}
	u, err := db.UserByEmail(ctx, devEmail)
	if ajans.ErrorCode(err) == ajans.ENOTFOUND {
		u = &ajans.User{Email: devEmail, Plan: devPlan, IsAdmin: true}
		err = db.CreateUser(ctx, u)
	}
	if err != nil {
		return "", fmt.Errorf("seed demo user: %w", err)
	}
	app, err := db.AppByTokenHash(ctx, ajans.HashToken(token))
	if ajans.ErrorCode(err) == ajans.ENOTFOUND {
		app, err = db.CreateApp(ctx, u.ID, "demo", ajans.HashToken(token), ajans.ShowToken(token))
	}
	if err != nil {
		return "", fmt.Errorf("seed demo app: %w", err)
	}
	if app.UserID != u.ID {
		return "", errors.New("AJANS_DEV_TOKEN belongs to an app of another user")
	}
	if app.Balance < devLowMark {
		_, _, err := db.GrantUser(ctx, u.ID, devTopUp, store.KindGrant, "dev top-up", "")
		if err != nil {
			return "", err
		}
		if _, _, err := db.Transfer(ctx, u.ID, app.ID, devTopUp); err != nil {
			return "", err
		}
	}
	return token, nil
}

func devToken(cfg Config) (string, error) {
	if cfg.DevToken != "" {
		if !ajans.ValidTokenShape(cfg.DevToken) {
			return "", errors.New("AJANS_DEV_TOKEN must be 32 to 128 letters, digits, '-' or '_'")
		}
		return cfg.DevToken, nil
	}
	path := filepath.Join(cfg.DataDir, "dev-token")
	if b, err := os.ReadFile(path); err == nil {
		if kept := strings.TrimSpace(string(b)); ajans.ValidTokenShape(kept) {
			return kept, nil
		}
	}
	token := ajans.MustNewToken()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("keep dev token: %w", err)
	}
	return token, nil
}
