package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ajans/ajans"
)

// RenewAllowance brings the user's account into the billing cycle that runs
// from start to end, with allowance plan credits for it:
//
//   - when the account is still in an earlier cycle, the plan credits left
//     from it expire (a ledger row keyed "expire:USER:CYCLE") and the
//     account moves into the new cycle;
//   - then the cycle's allowance is topped up to allowance (a ledger row
//     keyed "allowance:USER:CYCLE:GRANTED-BEFORE"), so a plan upgraded
//     mid-cycle gets the difference, and a downgrade takes nothing away.
//
// It all happens in one transaction with the user's row locked, and every
// ledger row has an idempotency key, so two servers renewing the same user
// at once change the account exactly once. A cycle older than the
// account's current one changes nothing. It returns the plan credits that
// expired and those granted.
func (db *DB) RenewAllowance(ctx context.Context, userID int64, start, end time.Time,
	allowance int64) (expired, granted int64, err error) {
	err = db.inTx(ctx, func(t tx) error {
		var balance, planCredit, cycleStart int64
		err := t.row(ctx, `SELECT balance, plan_credit, cycle_start FROM users WHERE id = ?`+
			db.forUpdate(), userID).Scan(&balance, &planCredit, &cycleStart)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("No such user.")
		}
		if err != nil {
			return fmt.Errorf("read account: %w", err)
		}
		s := start.UnixMilli()
		switch {
		case cycleStart > s:
			return nil
		case cycleStart < s:
			if expired, err = t.startCycle(ctx, userID, balance, planCredit, cycleStart,
				s, end.UnixMilli()); err != nil {
				return err
			}
		}
		granted, err = t.topUpAllowance(ctx, userID, s, allowance)
		return err
	})
	if isUniqueViolation(err) {
		return 0, 0, nil // another server renewed the account first
	}
	if err != nil {
		return 0, 0, fmt.Errorf("renew allowance: %w", err)
	}
	return expired, granted, nil
}

// startCycle lets the plan credits of the old cycle expire and moves the
// account into the cycle [start, end). It returns the credits that expired.
func (t tx) startCycle(ctx context.Context, userID, balance, planCredit, oldStart, start,
	end int64) (int64, error) {
	expired := min(planCredit, balance)
	if expired > 0 {
		balance -= expired
		err := t.writeLedger(ctx, entry{userID: userID, delta: -expired, balanceAfter: balance,
			kind: KindExpire, ref: cycleRef(oldStart),
			note:    "plan credits left at the end of the cycle",
			idemKey: fmt.Sprintf("expire:%d:%d", userID, oldStart)})
		if err != nil {
			return 0, err
		}
	}
	_, err := t.exec(ctx, `
		UPDATE users SET balance = ?, plan_credit = 0, cycle_start = ?, cycle_end = ?
		WHERE id = ?`, balance, start, end, userID)
	if err != nil {
		return 0, fmt.Errorf("start cycle: %w", err)
	}
	return expired, nil
}

// topUpAllowance grants what the cycle starting at start still owes of
// allowance, and returns it.
func (t tx) topUpAllowance(ctx context.Context, userID, start, allowance int64) (int64, error) {
	var granted int64
	err := t.row(ctx, `
		SELECT COALESCE(SUM(delta), 0) FROM ledger
		WHERE user_id = ? AND kind = ? AND ref = ?`, userID, KindAllowance, cycleRef(start),
	).Scan(&granted)
	if err != nil {
		return 0, fmt.Errorf("sum allowance: %w", err)
	}
	due := allowance - granted
	if due <= 0 {
		return 0, nil
	}
	var balance int64
	err = t.row(ctx, `
		UPDATE users SET balance = balance + ?, plan_credit = plan_credit + ?
		WHERE id = ? RETURNING balance`, due, due, userID).Scan(&balance)
	if err != nil {
		return 0, fmt.Errorf("grant allowance: %w", err)
	}
	key := fmt.Sprintf("allowance:%d:%d:%d", userID, start, granted)
	return due, t.writeLedger(ctx, entry{userID: userID, delta: due, balanceAfter: balance,
		kind: KindAllowance, ref: cycleRef(start), note: "plan allowance", idemKey: key})
}

func cycleRef(start int64) string { return "cycle:" + strconv.FormatInt(start, 10) }

// UsersDue returns up to limit users whose billing cycle has ended by now,
// or who never had one, the longest overdue first.
func (db *DB) UsersDue(ctx context.Context, now time.Time, limit int) ([]*ajans.User, error) {
	return queryAll(ctx, db, "find users due", scanUser, `
		SELECT `+userColumns+` FROM users
		WHERE cycle_end <= ?
		ORDER BY cycle_end, id LIMIT ?`, now.UnixMilli(), limit)
}
