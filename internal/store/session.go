package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ajans/ajans"
)

// CreateSession records a dashboard session of the user, named by the hash
// of its secret, valid until expires.
func (db *DB) CreateSession(ctx context.Context, userID int64, idHash string,
	expires time.Time) error {
	return db.inTx(ctx, func(t tx) error {
		now := db.nowMillis()
		// A log-in is a fine moment to forget the user's stale sessions.
		// TODO(ajans): sweep the expired sessions of users who never come
		// back; lookups ignore them, so they only take room.
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?`,
			userID, now); err != nil {
			return fmt.Errorf("drop old sessions: %w", err)
		}
		_, err := t.exec(ctx, `
			INSERT INTO sessions (id_hash, user_id, created_at, expires_at)
			VALUES (?, ?, ?, ?)`, idHash, userID, now, expires.UnixMilli())
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// SessionUser returns the user of the live session named by idHash. An
// unknown or expired session is ENOTFOUND.
func (db *DB) SessionUser(ctx context.Context, idHash string) (*ajans.User, error) {
	u, err := scanUser(db.queryRow(ctx, `
		SELECT `+userColumns+` FROM users
		WHERE id = (SELECT user_id FROM sessions WHERE id_hash = ? AND expires_at > ?)`,
		idHash, db.nowMillis()))
	if ajans.ErrorCode(err) == ajans.ENOTFOUND {
		return nil, notFound("No such session.")
	}
	return u, err
}

// DeleteSession ends one session; ending a session that is gone is no error.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	return db.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	})
}

// DeleteOtherSessions ends every session of the user but the one named by
// keepHash, as after a change of password.
func (db *DB) DeleteOtherSessions(ctx context.Context, userID int64, keepHash string) error {
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`,
			userID, keepHash)
		if err != nil {
			return fmt.Errorf("delete sessions: %w", err)
		}
		return nil
	})
}
