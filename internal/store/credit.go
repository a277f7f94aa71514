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

// Ledger entry kinds.
const (
	KindGrant       = "grant"        // credits added to a user's account
	KindTransferOut = "transfer_out" // account → app, the account's side
	KindTransferIn  = "transfer_in"  // account → app, the app's side
	KindHold        = "hold"         // credits reserved for a model call
	KindRelease     = "release"      // the unspent part of a hold given back
	KindLateCharge  = "late_charge"  // a call settled after its hold expired
)

// entry is one ledger row. Exactly one of userID and appID is set.
type entry struct {
	userID, appID int64
	delta         int64
	balanceAfter  int64
	kind, ref     string
	note          string
	idemKey       string
}

func (t tx) writeLedger(ctx context.Context, e entry) error {
	var user, app, idem any
	if e.userID != 0 {
		user = e.userID
	}
	if e.appID != 0 {
		app = e.appID
	}
	if e.idemKey != "" {
		idem = e.idemKey
	}
	_, err := t.exec(ctx, `
		INSERT INTO ledger (user_id, app_id, delta, balance_after, kind, ref, note, idem_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		user, app, e.delta, e.balanceAfter, e.kind, e.ref, e.note, idem, t.db.nowMillis())
	if err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	return nil
}

// GrantUser adds amount credits to the user's account. When idemKey is not
// empty a second grant with the same key changes nothing and reports
// granted false, so two servers can never grant the same thing twice.
func (db *DB) GrantUser(ctx context.Context, userID, amount int64, kind, note, idemKey string) (
	balance int64, granted bool, err error) {
	if amount <= 0 {
		return 0, false, ajans.Errorf(ajans.EINVALID, "The amount must be a positive number of credits.")
	}
	err = db.inTx(ctx, func(t tx) error {
		err := t.row(ctx, `UPDATE users SET balance = balance + ? WHERE id = ? RETURNING balance`,
			amount, userID).Scan(&balance)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("No such user.")
		}
		if err != nil {
			return fmt.Errorf("add credits: %w", err)
		}
		return t.writeLedger(ctx, entry{userID: userID, delta: amount, balanceAfter: balance,
			kind: kind, note: note, idemKey: idemKey})
	})
	if idemKey != "" && isUniqueViolation(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return balance, true, nil
}

// Transfer moves amount credits from the user's account to one of the user's
// apps. It is ECREDIT when the account holds less, ENOTFOUND when the app is
// not the user's.
func (db *DB) Transfer(ctx context.Context, userID, appID, amount int64) (
	userBalance, appBalance int64, err error) {
	err = db.inTx(ctx, func(t tx) error {
		// Plan credits are spent first: they expire, packages do not.
		err := t.row(ctx, `
			UPDATE users SET balance = balance - ?,
				plan_credit = CASE WHEN plan_credit > ? THEN plan_credit - ? ELSE 0 END
			WHERE id = ? AND balance >= ?
			RETURNING balance`, amount, amount, amount, userID, amount).Scan(&userBalance)
		if errors.Is(err, sql.ErrNoRows) {
			return ajans.Errorf(ajans.ECREDIT,
				"The account holds fewer than %d credits. Buy a package or transfer less.", amount)
		}
		if err != nil {
			return fmt.Errorf("take credits: %w", err)
		}
		err = t.row(ctx, `
			UPDATE apps SET balance = balance + ?
			WHERE id = ? AND user_id = ?
			RETURNING balance`, amount, appID, userID).Scan(&appBalance)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("No such app in this account.")
		}
		if err != nil {
			return fmt.Errorf("give credits: %w", err)
		}
		ref := "app:" + strconv.FormatInt(appID, 10)
		if err := t.writeLedger(ctx, entry{userID: userID, delta: -amount,
			balanceAfter: userBalance, kind: KindTransferOut, ref: ref}); err != nil {
			return err
		}
		return t.writeLedger(ctx, entry{appID: appID, delta: amount,
			balanceAfter: appBalance, kind: KindTransferIn, ref: "user:" + strconv.FormatInt(userID, 10)})
	})
	return userBalance, appBalance, err
}

// PlaceHold reserves up to want credits of the app, and at least min: when
// the app holds fewer than min it is ECREDIT and nothing changes.
func (db *DB) PlaceHold(ctx context.Context, appID, min, want int64,
	ttl time.Duration) (ajans.Hold, error) {
	h := ajans.Hold{AppID: appID}
	err := db.inTx(ctx, func(t tx) error {
		var balance int64
		err := t.row(ctx, `SELECT balance FROM apps WHERE id = ?`+db.forUpdate(), appID).Scan(&balance)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("No such app.")
		}
		if err != nil {
			return fmt.Errorf("read balance: %w", err)
		}
		if balance < min {
			return ajans.Errorf(ajans.ECREDIT, "This app has %d credits and the message needs at "+
				"least %d. Transfer credits to the app from your account.", balance, min)
		}
		h.Amount = want
		if balance < want {
			h.Amount = balance
		}
		h.Balance = balance - h.Amount
		_, err = t.exec(ctx, `UPDATE apps SET balance = ? WHERE id = ?`, h.Balance, appID)
		if err != nil {
			return fmt.Errorf("reserve credits: %w", err)
		}
		now := db.Now()
		err = t.row(ctx, `
			INSERT INTO holds (app_id, amount, created_at, expires_at)
			VALUES (?, ?, ?, ?)
			RETURNING id`, appID, h.Amount, now.UnixMilli(), now.Add(ttl).UnixMilli()).Scan(&h.ID)
		if err != nil {
			return fmt.Errorf("record hold: %w", err)
		}
		return t.writeLedger(ctx, entry{appID: appID, delta: -h.Amount, balanceAfter: h.Balance,
			kind: KindHold, ref: holdRef(h.ID)})
	})
	return h, err
}

func holdRef(id int64) string { return "hold:" + strconv.FormatInt(id, 10) }

// closeHold marks the hold closed and returns its amount, or 0 when it was
// closed already (settled, released, or expired and swept).
func (t tx) closeHold(ctx context.Context, holdID, appID int64) (int64, error) {
	var amount int64
	err := t.row(ctx, `
		UPDATE holds SET closed_at = ?
		WHERE id = ? AND app_id = ? AND closed_at IS NULL
		RETURNING amount`, t.db.nowMillis(), holdID, appID).Scan(&amount)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("close hold: %w", err)
	}
	return amount, nil
}

// refund gives credits back to an app and writes the ledger row.
func (t tx) refund(ctx context.Context, appID, amount int64, kind, ref string) (int64, error) {
	var balance int64
	err := t.row(ctx, `UPDATE apps SET balance = balance + ? WHERE id = ? RETURNING balance`,
		amount, appID).Scan(&balance)
	if err != nil {
		return 0, fmt.Errorf("refund credits: %w", err)
	}
	return balance, t.writeLedger(ctx, entry{appID: appID, delta: amount, balanceAfter: balance,
		kind: kind, ref: ref})
}

// ReleaseHold gives a hold's credits back in full: the call it paid for
// failed or was cancelled. Releasing a closed hold changes nothing.
func (db *DB) ReleaseHold(ctx context.Context, h ajans.Hold) error {
	return db.inTx(ctx, func(t tx) error {
		amount, err := t.closeHold(ctx, h.ID, h.AppID)
		if err != nil || amount == 0 {
			return err
		}
		_, err = t.refund(ctx, h.AppID, amount, KindRelease, holdRef(h.ID))
		return err
	})
}

// ReleaseExpired releases every open hold whose time is up, as left by a
// crash or a lost request, and returns how many it released.
func (db *DB) ReleaseExpired(ctx context.Context) (int, error) {
	rows, err := db.query(ctx, `
		SELECT id, app_id FROM holds
		WHERE closed_at IS NULL AND expires_at < ?
		ORDER BY id LIMIT 1000`, db.nowMillis())
	if err != nil {
		return 0, fmt.Errorf("find expired holds: %w", err)
	}
	var expired []ajans.Hold
	for rows.Next() {
		var h ajans.Hold
		if err := rows.Scan(&h.ID, &h.AppID); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find expired holds: %w", err)
		}
		expired = append(expired, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("find expired holds: %w", err)
	}
	for _, h := range expired {
		if err := db.ReleaseHold(ctx, h); err != nil {
			return 0, err
		}
	}
	return len(expired), nil
}

// LedgerSum returns the sum of the app's ledger rows, which always equals
// its balance.
func (db *DB) LedgerSum(ctx context.Context, appID int64) (int64, error) {
	var sum int64
	err := db.queryRow(ctx, `SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE app_id = ?`,
		appID).Scan(&sum)
	if err != nil {
		return 0, fmt.Errorf("sum ledger: %w", err)
	}
	return sum, nil
}
