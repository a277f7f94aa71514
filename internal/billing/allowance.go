package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ajans/ajans"
)

// Cycle is one billing period of a user, from Start up to (not including)
// End.
type Cycle struct{ Start, End time.Time }

// CycleAt returns the billing cycle that holds t for an account opened at
// anchor. Cycles are calendar months counted from the anchor, in UTC: an
// account opened on 31 January renews on 28 (or 29) February, 31 March,
// 30 April and so on. Before the anchor it returns the first cycle.
func CycleAt(anchor, t time.Time) Cycle {
	anchor, t = anchor.UTC(), t.UTC()
	n := (t.Year()-anchor.Year())*12 + int(t.Month()) - int(anchor.Month())
	if addMonths(anchor, n).After(t) {
		n--
	}
	n = max(n, 0)
	return Cycle{Start: addMonths(anchor, n), End: addMonths(anchor, n+1)}
}

// addMonths returns anchor n months later, on the anchor's day of the month
// or on the last day of a shorter month.
func addMonths(anchor time.Time, n int) time.Time {
	first := time.Date(anchor.Year(), anchor.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(anchor.Day(), last),
		anchor.Hour(), anchor.Minute(), anchor.Second(), anchor.Nanosecond(), time.UTC)
}

// AllowanceStore keeps accounts and their cycles; the store implements it.
type AllowanceStore interface {
	RenewAllowance(ctx context.Context, userID int64, start, end time.Time,
		allowance int64) (expired, granted int64, err error)
	UsersDue(ctx context.Context, now time.Time, limit int) ([]*ajans.User, error)
}

// Renew brings the user's account into the cycle that holds now: plan
// credits of an ended cycle expire, and the plan's allowance for the
// current cycle is loaded. It is safe to call any number of times, from any
// number of servers: each step happens once per user and cycle. Call it
// after a sign-up or a change of plan; RunAllowances calls it when cycles end.
// It returns the plan credits that expired and those granted.
func Renew(ctx context.Context, s AllowanceStore, plans []ajans.Plan, u *ajans.User,
	now time.Time) (expired, granted int64, err error) {
	c := CycleAt(u.CreatedAt, now)
	plan, _ := ajans.PlanByName(plans, u.Plan) // an unknown plan has no allowance
	return s.RenewAllowance(ctx, u.ID, c.Start, c.End, plan.MonthlyAllowance)
}

// RenewDue reads accounts renewBatch at a time, at most renewBatches times
// a pass; a later pass takes the rest.
const (
	renewBatch   = 500
	renewBatches = 20
)

// RenewDue renews the accounts whose cycle has ended by now, and returns
// how many it renewed.
func RenewDue(ctx context.Context, s AllowanceStore, plans []ajans.Plan, now time.Time) (int,
	error) {
	done := 0
	for range renewBatches {
		users, err := s.UsersDue(ctx, now, renewBatch)
		if err != nil {
			return done, err
		}
		for _, u := range users {
			if _, _, err := Renew(ctx, s, plans, u, now); err != nil {
				return done, fmt.Errorf("user %d: %w", u.ID, err)
			}
			done++
		}
		if len(users) < renewBatch {
			break
		}
	}
	return done, nil
}

// RunAllowances renews due accounts every interval until ctx ends, reading
// the time from now (time.Now when nil). Start one per server: renewals are
// idempotent, so servers sharing a database never grant twice.
func RunAllowances(ctx context.Context, s AllowanceStore, plans []ajans.Plan,
	interval time.Duration, now func() time.Time, log *slog.Logger) {
	if now == nil {
		now = time.Now
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := RenewDue(ctx, s, plans, now())
		switch {
		case err != nil && !errors.Is(err, context.Canceled):
			log.Error("renew allowances", "err", err)
		case n > 0:
			log.Info("renewed allowances", "accounts", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
