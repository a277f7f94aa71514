package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ajans/ajans"
)

// CreateApp inserts a new app for the user with the hash and the shown
// prefix of its token.
func (db *DB) CreateApp(ctx context.Context, userID int64, name, tokenHash, tokenPrefix string) (*ajans.App, error) {
	app := &ajans.App{UserID: userID, Name: name, TokenPrefix: tokenPrefix}
	now := db.nowMillis()
	err := db.inTx(ctx, func(t tx) error {
		return t.row(ctx, `
			INSERT INTO apps (user_id, name, token_hash, token_prefix, created_at)
			VALUES (?, ?, ?, ?, ?)
			RETURNING id`,
			userID, name, tokenHash, tokenPrefix, now,
		).Scan(&app.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("create app: %w", err)
	}
	app.CreatedAt = fromMillis(now)
	return app, nil
}

const appColumns = `id, user_id, name, token_prefix, balance, created_at, last_used_at`

type scanner interface{ Scan(dest ...any) error }

func scanApp(s scanner) (*ajans.App, error) {
	var a ajans.App
	var created, used int64
	err := s.Scan(&a.ID, &a.UserID, &a.Name, &a.TokenPrefix, &a.Balance, &created, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("No such app.")
	}
	if err != nil {
		return nil, fmt.Errorf("read app: %w", err)
	}
	a.CreatedAt, a.LastUsedAt = fromMillis(created), fromMillis(used)
	return &a, nil
}

// AppByTokenHash returns the app whose token hashes to hash, or ENOTFOUND.
func (db *DB) AppByTokenHash(ctx context.Context, hash string) (*ajans.App, error) {
	return scanApp(db.queryRow(ctx,
		`SELECT `+appColumns+` FROM apps WHERE token_hash = ?`, hash))
}

// AppsByUser returns the user's apps, oldest first.
func (db *DB) AppsByUser(ctx context.Context, userID int64) ([]*ajans.App, error) {
	rows, err := db.query(ctx,
		`SELECT `+appColumns+` FROM apps WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	defer rows.Close()
	var apps []*ajans.App
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			return nil, err
		}
		apps = append(apps, a)
	}
	return apps, rows.Err()
}

// CallerByTokenHash returns who a request with the token hashing to hash
// speaks for, or ENOTFOUND. It is on the path of every API request.
func (db *DB) CallerByTokenHash(ctx context.Context, hash string) (ajans.Caller, error) {
	var c ajans.Caller
	err := db.queryRow(ctx, `
		SELECT apps.id, apps.user_id, users.plan
		FROM apps JOIN users ON users.id = apps.user_id
		WHERE apps.token_hash = ?`, hash,
	).Scan(&c.AppID, &c.UserID, &c.Plan)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("No app has this token.")
	}
	if err != nil {
		return c, fmt.Errorf("find token: %w", err)
	}
	return c, nil
}

// AppBalance returns the credits the app holds, or ENOTFOUND.
func (db *DB) AppBalance(ctx context.Context, appID int64) (int64, error) {
	var balance int64
	err := db.queryRow(ctx, `SELECT balance FROM apps WHERE id = ?`, appID).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("No such app.")
	}
	if err != nil {
		return 0, fmt.Errorf("read balance: %w", err)
	}
	return balance, nil
}
