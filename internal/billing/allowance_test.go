package billing_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
)

func TestCycleAt(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, 9, 30, 0, 0, time.UTC)
	}
	tests := []struct {
		name             string
		anchor, at       time.Time
		wantStart, wantE time.Time
	}{
		{"first cycle", day(2026, 1, 10), day(2026, 1, 20), day(2026, 1, 10), day(2026, 2, 10)},
		{"at the anchor", day(2026, 1, 10), day(2026, 1, 10), day(2026, 1, 10), day(2026, 2, 10)},
		{"just before renewal", day(2026, 1, 10), day(2026, 2, 10).Add(-time.Second),
			day(2026, 1, 10), day(2026, 2, 10)},
		{"a year on", day(2026, 1, 10), day(2027, 1, 11), day(2027, 1, 10), day(2027, 2, 10)},
		{"31st in February", day(2026, 1, 31), day(2026, 2, 28),
			day(2026, 2, 28), day(2026, 3, 31)},
		{"31st in a leap year", day(2027, 12, 31), day(2028, 3, 1),
			day(2028, 2, 29), day(2028, 3, 31)},
		{"before the anchor", day(2026, 5, 1), day(2026, 4, 1), day(2026, 5, 1), day(2026, 6, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := billing.CycleAt(tt.anchor, tt.at)
			if !c.Start.Equal(tt.wantStart) || !c.End.Equal(tt.wantE) {
				t.Fatalf("CycleAt = %v – %v, want %v – %v", c.Start, c.End, tt.wantStart, tt.wantE)
			}
		})
	}
}

func newUser(tb testing.TB, db *store.DB, email, plan string) *ajans.User {
	tb.Helper()
	u := &ajans.User{Email: email, Plan: plan}
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return u
}

func account(tb testing.TB, db *store.DB, id int64) *ajans.User {
	tb.Helper()
	ctx := context.Background()
	u, err := db.UserByID(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	if sum, _ := db.UserLedgerSum(ctx, id); sum != u.Balance {
		tb.Fatalf("ledger sum %d != balance %d", sum, u.Balance)
	}
	return u
}

// Two servers renewing the same account for the same cycle at the same
// moment must load the allowance exactly once.
func TestConcurrentRenewalsGrantOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		plans := ajans.DefaultPlans()
		const servers = 8
		for round := range 5 {
			u := newUser(t, db, "u"+string(rune('a'+round))+"@example.com", "pro")
			now := u.CreatedAt.Add(time.Hour)
			var wg sync.WaitGroup
			granted := make(chan int64, servers)
			start := make(chan struct{})
			for range servers {
				wg.Go(func() {
					<-start
					_, g, err := billing.Renew(ctx, db, plans, u, now)
					if err != nil {
						t.Error(err)
					}
					granted <- g
				})
			}
			close(start)
			wg.Wait()
			close(granted)
			var total int64
			for g := range granted {
				total += g
			}
			got := account(t, db, u.ID)
			if total != 100_000 || got.Balance != 100_000 || got.PlanCredit != 100_000 {
				t.Fatalf("round %d: granted %d in all, balance %d, plan credit %d; want 100000",
					round, total, got.Balance, got.PlanCredit)
			}
		}
	})
}

func TestRenewDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		plans := ajans.DefaultPlans()
		pro := newUser(t, db, "pro@example.com", "pro")
		free := newUser(t, db, "free@example.com", "free")
		now := pro.CreatedAt.Add(time.Minute)

		n, err := billing.RenewDue(ctx, db, plans, now)
		if err != nil || n != 2 {
			t.Fatalf("RenewDue = %d, %v; want 2", n, err)
		}
		if n, _ := billing.RenewDue(ctx, db, plans, now); n != 0 {
			t.Fatalf("second pass renewed %d", n)
		}
		if got := account(t, db, free.ID); got.Balance != 0 || got.CycleEnd.IsZero() {
			t.Fatalf("free account: %+v", got)
		}

		// A month on, pro's unused allowance expires and a new one lands; a
		// package bought meanwhile stays.
		db.GrantPackage(ctx, pro.ID, 2500, "", "pay-1")
		db.Transfer(ctx, pro.ID, mustApp(t, db, pro.ID), 30_000)
		later := billing.CycleAt(pro.CreatedAt, now).End.Add(time.Second)
		if n, err := billing.RenewDue(ctx, db, plans, later); err != nil || n != 2 {
			t.Fatalf("RenewDue a month on = %d, %v", n, err)
		}
		got := account(t, db, pro.ID)
		if got.Balance != 102_500 || got.PlanCredit != 100_000 || got.PackageCredit() != 2500 {
			t.Fatalf("pro a month on: balance %d, plan %d", got.Balance, got.PlanCredit)
		}
	})
}

func mustApp(tb testing.TB, db *store.DB, userID int64) int64 {
	tb.Helper()
	app, err := db.CreateApp(context.Background(), userID, "app", ajans.MustNewToken(), "ajs_")
	if err != nil {
		tb.Fatal(err)
	}
	return app.ID
}
