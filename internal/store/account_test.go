package store_test

import (
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
)

func TestSignUpMakesTheFirstUserAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		first := &ajans.User{Email: "İlk@Example.com", Plan: "free", PasswordHash: "h"}
		second := &ajans.User{Email: "second@example.com", Plan: "free"}
		for _, u := range []*ajans.User{first, second} {
			if err := db.SignUp(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		if !first.IsAdmin || second.IsAdmin {
			t.Fatalf("admin flags: first %v, second %v", first.IsAdmin, second.IsAdmin)
		}
		wantCode(t, db.SignUp(ctx, &ajans.User{Email: "SECOND@example.com", Plan: "free"}),
			ajans.ECONFLICT)
		got, err := db.UserByID(ctx, first.ID)
		if err != nil || !got.IsAdmin || got.PasswordHash != "h" {
			t.Fatalf("UserByID = %+v, %v", got, err)
		}
	})
}

func TestSetPasswordPlanAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u, _ := mustApp(t, db, "ayşe@example.com", 0)
		mustApp(t, db, "bob_1@example.com", 0)
		if err := db.SetPassword(ctx, u.ID, "new-hash"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPlan(ctx, u.ID, "pro"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.UserByID(ctx, u.ID)
		if got.PasswordHash != "new-hash" || got.Plan != "pro" {
			t.Fatalf("user = %+v", got)
		}
		wantCode(t, db.SetPlan(ctx, u.ID+99, "pro"), ajans.ENOTFOUND)

		tests := []struct {
			search string
			want   int
		}{{"", 2}, {"AYŞE", 1}, {"_", 1}, {"%", 0}, {"nobody", 0}}
		for _, tt := range tests {
			users, err := db.Users(ctx, tt.search, 0, 10)
			if err != nil || len(users) != tt.want {
				t.Errorf("Users(%q) = %d users, %v; want %d", tt.search, len(users), err, tt.want)
			}
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Now()
		db.Now = func() time.Time { return now }
		u, _ := mustApp(t, db, "a@example.com", 0)
		for _, id := range []string{"s1", "s2", "s3"} {
			if err := db.CreateSession(ctx, u.ID, id, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.SessionUser(ctx, "s1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("SessionUser = %+v, %v", got, err)
		}
		_, err = db.SessionUser(ctx, "unknown")
		wantCode(t, err, ajans.ENOTFOUND)

		if err := db.DeleteSession(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
		_, err = db.SessionUser(ctx, "s1")
		wantCode(t, err, ajans.ENOTFOUND)
		if err := db.DeleteOtherSessions(ctx, u.ID, "s2"); err != nil {
			t.Fatal(err)
		}
		_, err = db.SessionUser(ctx, "s3")
		wantCode(t, err, ajans.ENOTFOUND)

		now = now.Add(2 * time.Hour) // s2 has expired
		_, err = db.SessionUser(ctx, "s2")
		wantCode(t, err, ajans.ENOTFOUND)
	})
}

func TestRotateAndDeleteApp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u, app := mustApp(t, db, "a@example.com", 5000)
		other, _ := mustApp(t, db, "b@example.com", 0)
		if err := db.RotateAppToken(ctx, u.ID, app.ID, "new-hash", "ajs_new…"); err != nil {
			t.Fatal(err)
		}
		_, err := db.AppByTokenHash(ctx, "hash-a@example.com")
		if ajans.ErrorCode(err) != ajans.ENOTFOUND {
			t.Fatalf("the old token still works: %v", err)
		}
		if got, err := db.AppByTokenHash(ctx, "new-hash"); err != nil || got.ID != app.ID {
			t.Fatalf("new token: %+v, %v", got, err)
		}
		wantCode(t, db.RotateAppToken(ctx, other.ID, app.ID, "x", "x"), ajans.ENOTFOUND)
		_, err = db.DeleteApp(ctx, other.ID, app.ID)
		wantCode(t, err, ajans.ENOTFOUND)

		// An open hold goes back too.
		if _, err := db.PlaceHold(ctx, app.ID, 10, 300, time.Minute); err != nil {
			t.Fatal(err)
		}
		refunded, err := db.DeleteApp(ctx, u.ID, app.ID)
		if err != nil || refunded != 5000 {
			t.Fatalf("DeleteApp = %d, %v; want 5000", refunded, err)
		}
		if _, err := db.AppOfUser(ctx, u.ID, app.ID); ajans.ErrorCode(err) != ajans.ENOTFOUND {
			t.Fatalf("the app is still there: %v", err)
		}
		got, _ := db.UserByID(ctx, u.ID)
		sum, _ := db.UserLedgerSum(ctx, u.ID)
		if got.Balance != 5000 || sum != 5000 {
			t.Fatalf("account balance %d, ledger sum %d; want 5000", got.Balance, sum)
		}
		if appSum, _ := db.LedgerSum(ctx, app.ID); appSum != 0 {
			t.Fatalf("the deleted app's ledger sums to %d, want 0", appSum)
		}
	})
}

func TestTransferSpendsPlanCreditsFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u, app := mustApp(t, db, "a@example.com", 0)
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		_, _, err := db.RenewAllowance(ctx, u.ID, start, start.AddDate(0, 1, 0), 3000)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.GrantPackage(ctx, u.ID, 2000, "", "pay-1"); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			amount           int64
			balance, planned int64
		}{{1000, 4000, 2000}, {2500, 1500, 0}, {1000, 500, 0}}
		for _, s := range steps {
			if _, _, err := db.Transfer(ctx, u.ID, app.ID, s.amount); err != nil {
				t.Fatal(err)
			}
			got, _ := db.UserByID(ctx, u.ID)
			if got.Balance != s.balance || got.PlanCredit != s.planned {
				t.Fatalf("after %d: balance %d, plan credit %d; want %d, %d",
					s.amount, got.Balance, got.PlanCredit, s.balance, s.planned)
			}
		}
	})
}

func TestUserLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u, app := mustApp(t, db, "a@example.com", 1500)
		mustApp(t, db, "b@example.com", 2000)
		entries, err := db.UserLedger(ctx, u.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		kinds := []string{store.KindTransferIn, store.KindTransferOut, store.KindGrant}
		if len(entries) != len(kinds) {
			t.Fatalf("got %d entries, want %d: %+v", len(entries), len(kinds), entries)
		}
		for i, e := range entries {
			if e.Kind != kinds[i] {
				t.Errorf("entry %d kind %q, want %q", i, e.Kind, kinds[i])
			}
		}
		if entries[0].AppID != app.ID || entries[1].UserID != u.ID {
			t.Fatalf("owners: %+v", entries[:2])
		}
	})
}
