package store_test

import (
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
)

func TestRenewAllowance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u, _ := mustApp(t, db, "a@example.com", 0)
		jan := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
		feb, mar := jan.AddDate(0, 1, 0), jan.AddDate(0, 2, 0)
		if _, _, err := db.GrantPackage(ctx, u.ID, 700, "", "p1"); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name             string
			start, end       time.Time
			allowance        int64
			expired, granted int64
			balance, plan    int64
		}{
			{"first grant", jan, feb, 1000, 0, 1000, 1700, 1000},
			{"again: nothing", jan, feb, 1000, 0, 0, 1700, 1000},
			{"upgrade tops up", jan, feb, 5000, 0, 4000, 5700, 5000},
			{"downgrade keeps", jan, feb, 100, 0, 0, 5700, 5000},
			{"next cycle", feb, mar, 1000, 5000, 1000, 1700, 1000},
			{"an old cycle: nothing", jan, feb, 9000, 0, 0, 1700, 1000},
			{"free plan", mar, mar.AddDate(0, 1, 0), 0, 1000, 0, 700, 0},
		}
		for _, s := range steps {
			expired, granted, err := db.RenewAllowance(ctx, u.ID, s.start, s.end, s.allowance)
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			got, _ := db.UserByID(ctx, u.ID)
			sum, _ := db.UserLedgerSum(ctx, u.ID)
			if expired != s.expired || granted != s.granted || got.Balance != s.balance ||
				got.PlanCredit != s.plan || sum != got.Balance {
				t.Fatalf("%s: expired %d granted %d balance %d plan %d ledger %d; "+
					"want %d %d %d %d", s.name, expired, granted, got.Balance, got.PlanCredit, sum,
					s.expired, s.granted, s.balance, s.plan)
			}
		}
		_, _, err := db.RenewAllowance(ctx, u.ID+99, jan, feb, 1)
		wantCode(t, err, ajans.ENOTFOUND)
	})
}

func TestUsersDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := mustApp(t, db, "a@example.com", 0)
		b, _ := mustApp(t, db, "b@example.com", 0)
		now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		db.RenewAllowance(ctx, a.ID, now.AddDate(0, -1, 0), now.Add(time.Hour), 10)
		due, err := db.UsersDue(ctx, now, 10)
		if err != nil || len(due) != 1 || due[0].ID != b.ID {
			t.Fatalf("UsersDue = %v, %v; want only b", due, err)
		}
		got, _ := db.UserByID(ctx, a.ID)
		if !got.CycleEnd.Equal(now.Add(time.Hour)) || !got.CycleStart.Equal(now.AddDate(0, -1, 0)) {
			t.Fatalf("cycle %v – %v", got.CycleStart, got.CycleEnd)
		}
	})
}
