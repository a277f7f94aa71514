package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/ajans/ajans"
)

// CreateApp inserts a new app for the user with the hash and the shown
// prefix of its token.
func (db *DB) CreateApp(ctx context.Context, userID int64, name, tokenHash, tokenPrefix string) (
	*ajans.App, error) {
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
	return queryAll(ctx, db, "list apps", scanApp,
		`SELECT `+appColumns+` FROM apps WHERE user_id = ? ORDER BY id`, userID)
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

// AppOfUser returns the user's app with the given id. Another user's app is
// ENOTFOUND, the same answer as an app that does not exist.
func (db *DB) AppOfUser(ctx context.Context, userID, appID int64) (*ajans.App, error) {
	return scanApp(db.queryRow(ctx,
		`SELECT `+appColumns+` FROM apps WHERE id = ? AND user_id = ?`, appID, userID))
}

// RotateAppToken gives the user's app a new token, named by its hash and
// shown prefix; the old token stops working at once.
func (db *DB) RotateAppToken(ctx context.Context, userID, appID int64, tokenHash,
	tokenPrefix string) error {
	return db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `
			UPDATE apps SET token_hash = ?, token_prefix = ?
			WHERE id = ? AND user_id = ?`, tokenHash, tokenPrefix, appID, userID)
		if err != nil {
			return fmt.Errorf("rotate token: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return notFound("No such app in this account.")
		}
		return nil
	})
}

// DeleteApp deletes the user's app with its chats and calls, and moves the
// credits it held (open holds included) back to the user's account. It
// returns how many credits went back.
func (db *DB) DeleteApp(ctx context.Context, userID, appID int64) (refunded int64, err error) {
	err = db.inTx(ctx, func(t tx) error {
		if err := t.releaseOpenHolds(ctx, userID, appID); err != nil {
			return err
		}
		err := t.row(ctx, `SELECT balance FROM apps WHERE id = ? AND user_id = ?`+db.forUpdate(),
			appID, userID).Scan(&refunded)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("No such app in this account.")
		}
		if err != nil {
			return fmt.Errorf("read balance: %w", err)
		}
		if refunded > 0 {
			if err := t.returnCredits(ctx, userID, appID, refunded); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `DELETE FROM apps WHERE id = ?`, appID); err != nil {
			return fmt.Errorf("delete app: %w", err)
		}
		// The app's files are marked; their bytes are removed by the purge.
		_, err = t.exec(ctx, `UPDATE files SET deleted_at = ? WHERE app_id = ? AND deleted_at IS NULL`,
			db.nowMillis(), appID)
		if err != nil {
			return fmt.Errorf("mark the app's files: %w", err)
		}
		return nil
	})
	return refunded, err
}

// releaseOpenHolds gives the app the credits of its open holds back; the
// calls they pay for will find the app gone and charge nothing.
func (t tx) releaseOpenHolds(ctx context.Context, userID, appID int64) error {
	rows, err := t.QueryContext(ctx, t.db.q(`
		SELECT holds.id FROM holds JOIN apps ON apps.id = holds.app_id
		WHERE holds.app_id = ? AND apps.user_id = ? AND holds.closed_at IS NULL`), appID, userID)
	if err != nil {
		return fmt.Errorf("find open holds: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("find open holds: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		amount, err := t.closeHold(ctx, id, appID)
		if err != nil {
			return err
		}
		if amount > 0 {
			if _, err := t.refund(ctx, appID, amount, KindRelease, holdRef(id)); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

// returnCredits empties the app into the user's account, with a ledger row
// on each side.
func (t tx) returnCredits(ctx context.Context, userID, appID, amount int64) error {
	if _, err := t.exec(ctx, `UPDATE apps SET balance = 0 WHERE id = ?`, appID); err != nil {
		return fmt.Errorf("empty app: %w", err)
	}
	err := t.writeLedger(ctx, entry{appID: appID, delta: -amount, balanceAfter: 0,
		kind: KindAppClosed, ref: "user:" + strconv.FormatInt(userID, 10)})
	if err != nil {
		return err
	}
	var balance int64
	err = t.row(ctx, `UPDATE users SET balance = balance + ? WHERE id = ? RETURNING balance`,
		amount, userID).Scan(&balance)
	if err != nil {
		return fmt.Errorf("return credits: %w", err)
	}
	return t.writeLedger(ctx, entry{userID: userID, delta: amount, balanceAfter: balance,
		kind: KindAppRefund, ref: "app:" + strconv.FormatInt(appID, 10)})
}
