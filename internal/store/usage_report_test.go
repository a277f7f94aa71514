package store_test

import (
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
)

// mustCall records one metered call of credits for the app at now.
func mustCall(tb testing.TB, db *store.DB, appID, credits int64) {
	tb.Helper()
	h, err := db.PlaceHold(ctx, appID, credits, credits, time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	turn := &ajans.Turn{Hold: h, AssistantID: 16, Title: "t", Model: "mock/mock",
		User:  ajans.Message{Role: ajans.RoleUser, Content: "q"},
		Reply: ajans.Message{Role: ajans.RoleAssistant, Content: "a"},
		Usage: ajans.Usage{MessageTokens: 1, ResponseTokens: 2, Credits: credits}}
	if err := db.SaveTurn(ctx, turn); err != nil {
		tb.Fatal(err)
	}
}

func TestUsageReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		day1 := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
		now := day1
		db.Now = func() time.Time { return now }
		u, app := mustApp(t, db, "a@example.com", 5000)
		app2, err := db.CreateApp(ctx, u.ID, "second", "hash-2", "ajs_2")
		if err != nil {
			t.Fatal(err)
		}
		db.GrantUser(ctx, u.ID, 1000, store.KindGrant, "", "")
		db.Transfer(ctx, u.ID, app2.ID, 1000)
		other, otherApp := mustApp(t, db, "b@example.com", 1000)
		_ = other

		mustCall(t, db, app.ID, 3)
		mustCall(t, db, app2.ID, 4)
		mustCall(t, db, otherApp.ID, 50)
		now = day1.Add(24 * time.Hour)
		mustCall(t, db, app.ID, 5)
		mustCall(t, db, app.ID, 6)

		days, err := db.DailyCredits(ctx, u.ID, day1.Add(-time.Hour))
		want := []store.DayCredits{
			{Day: day1.Truncate(24 * time.Hour), AppID: app.ID, Credits: 3},
			{Day: day1.Truncate(24 * time.Hour), AppID: app2.ID, Credits: 4},
			{Day: day1.Truncate(24 * time.Hour).Add(24 * time.Hour), AppID: app.ID, Credits: 11},
		}
		if err != nil || len(days) != len(want) {
			t.Fatalf("DailyCredits = %+v, %v", days, err)
		}
		for i := range want {
			if !days[i].Day.Equal(want[i].Day) || days[i].AppID != want[i].AppID ||
				days[i].Credits != want[i].Credits {
				t.Errorf("day %d = %+v, want %+v", i, days[i], want[i])
			}
		}
		if spent, _ := db.CreditsSpent(ctx, u.ID, day1.Add(time.Hour)); spent != 11 {
			t.Errorf("CreditsSpent = %d, want 11", spent)
		}

		page1, more, err := db.UserCalls(ctx, u.ID, 0, 0, 3)
		if err != nil || len(page1) != 3 || !more || page1[0].Credits != 6 {
			t.Fatalf("page 1 = %+v, more %v, %v", page1, more, err)
		}
		page2, more, _ := db.UserCalls(ctx, u.ID, 0, 3, 3)
		if len(page2) != 1 || more || page2[0].Credits != 3 {
			t.Fatalf("page 2 = %+v, more %v", page2, more)
		}
		only2, _, _ := db.UserCalls(ctx, u.ID, app2.ID, 0, 10)
		if len(only2) != 1 || only2[0].AppID != app2.ID {
			t.Fatalf("app filter = %+v", only2)
		}
		chats, err := db.AppChats(ctx, app.ID, 10)
		if err != nil || len(chats) != 3 {
			t.Fatalf("AppChats = %d chats, %v", len(chats), err)
		}
	})
}
