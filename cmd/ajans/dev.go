package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/bcrypt"

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

// devSeed is what `serve --dev` tells the person who started it.
type devSeed struct {
	token    string // the demo app's API token
	password string // the demo user's dashboard password
}

// seedDev makes sure the demo user and its app exist and the app holds
// credits. The app's token is AJANS_DEV_TOKEN when set; otherwise one made
// on the first run and kept in the data folder, so it stays the same.
func seedDev(ctx context.Context, db *store.DB, cfg Config) (devSeed, error) {
	var seed devSeed
	token, err := devToken(cfg)
	if err != nil {
		return seed, err
	}
	u, err := db.UserByEmail(ctx, devEmail)
	if ajans.ErrorCode(err) == ajans.ENOTFOUND {
		u = &ajans.User{Email: devEmail, Plan: devPlan, IsAdmin: true}
		err = db.CreateUser(ctx, u)
	}
	if err != nil {
		return seed, fmt.Errorf("seed demo user: %w", err)
	}
	if seed.password, err = devPassword(ctx, db, cfg, u); err != nil {
		return seed, err
	}
	app, err := db.AppByTokenHash(ctx, ajans.HashToken(token))
	if ajans.ErrorCode(err) == ajans.ENOTFOUND {
		app, err = db.CreateApp(ctx, u.ID, "demo", ajans.HashToken(token), ajans.ShowToken(token))
	}
	if err != nil {
		return seed, fmt.Errorf("seed demo app: %w", err)
	}
	if app.UserID != u.ID {
		return seed, errors.New("AJANS_DEV_TOKEN belongs to an app of another user")
	}
	if app.Balance < devLowMark {
		_, _, err := db.GrantUser(ctx, u.ID, devTopUp, store.KindGrant, "dev top-up", "")
		if err != nil {
			return seed, err
		}
		if _, _, err := db.Transfer(ctx, u.ID, app.ID, devTopUp); err != nil {
			return seed, err
		}
	}
	seed.token = token
	return seed, nil
}

func devToken(cfg Config) (string, error) {
	if cfg.DevToken != "" {
		if !ajans.ValidTokenShape(cfg.DevToken) {
			return "", errors.New("AJANS_DEV_TOKEN must be 32 to 128 letters, digits, '-' or '_'")
		}
		return cfg.DevToken, nil
	}
	return kept(cfg.DataDir, "dev-token", ajans.ValidTokenShape, ajans.MustNewToken)
}

// devPassword gives the demo user a dashboard password, made on the first
// run and kept in the data folder.
func devPassword(ctx context.Context, db *store.DB, cfg Config, u *ajans.User) (string, error) {
	password, err := kept(cfg.DataDir, "dev-password",
		func(s string) bool { return len(s) >= 16 },
		func() string { return ajans.MustNewToken()[4:24] })
	if err != nil || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil {
		return password, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash dev password: %w", err)
	}
	return password, db.SetPassword(ctx, u.ID, string(hash))
}

// kept returns the secret kept in DATA/name when valid accepts it, or a
// new one from make, written there for the next run.
func kept(dataDir, name string, valid func(string) bool, newSecret func() string) (string, error) {
	path := filepath.Join(dataDir, name)
	if b, err := os.ReadFile(path); err == nil {
		if s := strings.TrimSpace(string(b)); valid(s) {
			return s, nil
		}
	}
	secret := newSecret()
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("keep %s: %w", name, err)
	}
	return secret, nil
}
