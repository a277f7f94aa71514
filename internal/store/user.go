package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ajans/ajans"
)

// CreateUser inserts u and sets its ID and CreatedAt. The e-mail is kept in
// lower case; a taken e-mail is an ECONFLICT error.
func (db *DB) CreateUser(ctx context.Context, u *ajans.User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	now := db.nowMillis()
	err := db.inTx(ctx, func(t tx) error {
		return t.row(ctx, `
			INSERT INTO users (email, password_hash, plan, is_admin, created_at)
			VALUES (?, ?, ?, ?, ?)
			RETURNING id`,
			u.Email, u.PasswordHash, u.Plan, u.IsAdmin, now,
		).Scan(&u.ID)
	})
	if isUniqueViolation(err) {
		return ajans.Errorf(ajans.ECONFLICT, "A user with the e-mail %s exists already.", u.Email)
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	u.CreatedAt = fromMillis(now)
	return nil
}

const userColumns = `id, email, password_hash, plan, is_admin, balance, created_at,
	plan_credit, cycle_start, cycle_end`

func scanUser(row scanner) (*ajans.User, error) {
	var u ajans.User
	var created, start, end int64
	err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Plan, &u.IsAdmin, &u.Balance, &created,
		&u.PlanCredit, &start, &end)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("No such user.")
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	u.CreatedAt = fromMillis(created)
	u.CycleStart, u.CycleEnd = fromMillis(start), fromMillis(end)
	return &u, nil
}

// UserByEmail returns the user with the given e-mail, or ENOTFOUND.
func (db *DB) UserByEmail(ctx context.Context, email string) (*ajans.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	return scanUser(db.queryRow(ctx,
		`SELECT `+userColumns+` FROM users WHERE email = ?`, email))
}

// UserByID returns the user with the given id, or ENOTFOUND.
func (db *DB) UserByID(ctx context.Context, id int64) (*ajans.User, error) {
	return scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}
