package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ajans/ajans"
)

// Ledger entry kinds of the account.
const (
	KindAllowance = "allowance"  // a cycle's plan credits loaded into the account
	KindExpire    = "expire"     // plan credits left at the end of their cycle
	KindPackage   = "package"    // a purchased package (top-up); never expires
	KindAppClosed = "app_closed" // a deleted app's credits, the app's side
	KindAppRefund = "app_refund" // a deleted app's credits, back in the account
)

// SignUp inserts u like CreateUser, and makes it an administrator when it
// is the first user of the installation.
func (db *DB) SignUp(ctx context.Context, u *ajans.User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	now := db.nowMillis()
	err := db.inTx(ctx, func(t tx) error {
		return t.row(ctx, `
			INSERT INTO users (email, password_hash, plan, is_admin, created_at)
			VALUES (?, ?, ?, (SELECT COUNT(*) = 0 FROM users), ?)
			RETURNING id, is_admin`,
			u.Email, u.PasswordHash, u.Plan, now,
		).Scan(&u.ID, &u.IsAdmin)
	})
	if isUniqueViolation(err) {
		return ajans.Errorf(ajans.ECONFLICT, "A user with the e-mail %s exists already.", u.Email)
	}
	if err != nil {
		return fmt.Errorf("sign up: %w", err)
	}
	u.CreatedAt = fromMillis(now)
	return nil
}

// SetPassword replaces the user's password hash.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	return db.updateUser(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
}

// SetPlan moves the user to another plan. The allowance of the new plan is
// loaded by the next renewal (billing.Renew).
func (db *DB) SetPlan(ctx context.Context, userID int64, plan string) error {
	return db.updateUser(ctx, `UPDATE users SET plan = ? WHERE id = ?`, plan, userID)
}

func (db *DB) updateUser(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return notFound("No such user.")
		}
		return nil
	})
}

// Users returns up to limit users whose e-mail contains search (all when
// it is empty), by id, skipping the first offset.
func (db *DB) Users(ctx context.Context, search string, offset, limit int) ([]*ajans.User, error) {
	pattern := "%" + likeEscape(strings.ToLower(strings.TrimSpace(search))) + "%"
	return queryAll(ctx, db, "list users", scanUser, `
		SELECT `+userColumns+` FROM users
		WHERE email LIKE ? ESCAPE '\'
		ORDER BY id LIMIT ? OFFSET ?`, pattern, limit, offset)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// GrantPackage adds a purchased package of credits to the user's account.
// Package credits never expire. A second grant with the same idemKey
// changes nothing and reports granted false.
func (db *DB) GrantPackage(ctx context.Context, userID, credits int64, note,
	idemKey string) (balance int64, granted bool, err error) {
	return db.GrantUser(ctx, userID, credits, KindPackage, note, idemKey)
}

// LedgerEntry is one row of the ledger, as the dashboard shows it.
type LedgerEntry struct {
	ID           int64
	UserID       int64 // set for a row of the account
	AppID        int64 // set for a row of an app
	Delta        int64
	BalanceAfter int64
	Kind         string
	Ref          string
	Note         string
	CreatedAt    time.Time
}

// UserLedger returns the newest limit ledger rows of the user's account and
// of the user's apps, newest first.
func (db *DB) UserLedger(ctx context.Context, userID int64, limit int) ([]LedgerEntry, error) {
	rows, err := db.query(ctx, `
		SELECT id, COALESCE(user_id, 0), COALESCE(app_id, 0), delta, balance_after,
			kind, ref, note, created_at
		FROM ledger
		WHERE user_id = ? OR app_id IN (SELECT id FROM apps WHERE user_id = ?)
		ORDER BY id DESC LIMIT ?`, userID, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	defer rows.Close()
	var entries []LedgerEntry
	for rows.Next() {
		var e LedgerEntry
		var created int64
		err := rows.Scan(&e.ID, &e.UserID, &e.AppID, &e.Delta, &e.BalanceAfter, &e.Kind, &e.Ref,
			&e.Note, &created)
		if err != nil {
			return nil, fmt.Errorf("read ledger: %w", err)
		}
		e.CreatedAt = fromMillis(created)
		entries = append(entries, e)
	}
	return entries, rows.Err()
}

// UserLedgerSum returns the sum of the user's account ledger rows, which
// always equals the account's balance.
func (db *DB) UserLedgerSum(ctx context.Context, userID int64) (int64, error) {
	var sum int64
	err := db.queryRow(ctx, `SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE user_id = ?`,
		userID).Scan(&sum)
	if err != nil {
		return 0, fmt.Errorf("sum ledger: %w", err)
	}
	return sum, nil
}
