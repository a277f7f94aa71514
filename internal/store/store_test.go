package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
)

var ctx = context.Background()

// mustApp creates a user on plan and an app holding credits.
func mustApp(tb testing.TB, db *store.DB, email string, credits int64) (*ajans.User, *ajans.App) {
	tb.Helper()
	u := &ajans.User{Email: email, Plan: "business"}
	if err := db.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	app, err := db.CreateApp(ctx, u.ID, "app", "hash-"+email, "ajs_abc")
	if err != nil {
		tb.Fatal(err)
	}
	if credits > 0 {
		if _, _, err := db.GrantUser(ctx, u.ID, credits, store.KindGrant, "test", ""); err != nil {
			tb.Fatal(err)
		}
		if _, _, err := db.Transfer(ctx, u.ID, app.ID, credits); err != nil {
			tb.Fatal(err)
		}
	}
	return u, app
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := ajans.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func checkLedger(tb testing.TB, db *store.DB, appID int64) int64 {
	tb.Helper()
	balance, err := db.AppBalance(ctx, appID)
	if err != nil {
		tb.Fatal(err)
	}
	sum, err := db.LedgerSum(ctx, appID)
	if err != nil {
		tb.Fatal(err)
	}
	if sum != balance {
		tb.Fatalf("ledger sum %d != balance %d", sum, balance)
	}
	return balance
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := &ajans.User{Email: " Ayşe@Example.com ", Plan: "pro"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		got, err := db.UserByEmail(ctx, "ayşe@example.com")
		if err != nil || got.ID != u.ID || got.Plan != "pro" {
			t.Fatalf("UserByEmail = %+v, %v", got, err)
		}
		wantCode(t, db.CreateUser(ctx, &ajans.User{Email: "AYŞE@example.com", Plan: "pro"}),
			ajans.ECONFLICT)
		_, err = db.UserByID(ctx, u.ID+100)
		wantCode(t, err, ajans.ENOTFOUND)
	})
}

func TestGrantIsIdempotentByKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u, _ := mustApp(t, db, "a@example.com", 0)
		for i, want := range []bool{true, false} {
			_, granted, err := db.GrantUser(ctx, u.ID, 500, store.KindGrant, "", "cycle-2026-12")
			if err != nil || granted != want {
				t.Fatalf("grant %d: granted %v, %v; want %v", i, granted, err, want)
			}
		}
		got, _ := db.UserByID(ctx, u.ID)
		if got.Balance != 500 {
			t.Fatalf("balance = %d, want 500", got.Balance)
		}
		_, _, err := db.GrantUser(ctx, u.ID, -5, store.KindGrant, "", "")
		wantCode(t, err, ajans.EINVALID)
	})
}

func TestTransfer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u, app := mustApp(t, db, "a@example.com", 0)
		other, _ := mustApp(t, db, "b@example.com", 0)
		db.GrantUser(ctx, u.ID, 3000, store.KindGrant, "", "")

		if _, _, err := db.Transfer(ctx, u.ID, app.ID, 5000); ajans.ErrorCode(err) != ajans.ECREDIT {
			t.Fatalf("over-transfer: %v", err)
		}
		_, _, err := db.Transfer(ctx, other.ID, app.ID, 1)
		wantCode(t, err, ajans.ECREDIT) // other has nothing
		db.GrantUser(ctx, other.ID, 10, store.KindGrant, "", "")
		_, _, err = db.Transfer(ctx, other.ID, app.ID, 5)
		wantCode(t, err, ajans.ENOTFOUND)

		ub, ab, err := db.Transfer(ctx, u.ID, app.ID, 2000)
		if err != nil || ub != 1000 || ab != 2000 {
			t.Fatalf("Transfer = %d, %d, %v", ub, ab, err)
		}
		// The failed transfers changed nothing.
		got, _ := db.UserByID(ctx, other.ID)
		if got.Balance != 10 {
			t.Fatalf("other's balance = %d, want 10", got.Balance)
		}
		checkLedger(t, db, app.ID)
	})
}

func TestHoldSettleRelease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, app := mustApp(t, db, "a@example.com", 100)

		_, err := db.PlaceHold(ctx, app.ID, 101, 200, time.Minute)
		wantCode(t, err, ajans.ECREDIT)

		h, err := db.PlaceHold(ctx, app.ID, 5, 60, time.Minute)
		if err != nil || h.Amount != 60 || h.Balance != 40 {
			t.Fatalf("hold = %+v, %v", h, err)
		}
		h2, err := db.PlaceHold(ctx, app.ID, 5, 60, time.Minute)
		if err != nil || h2.Amount != 40 || h2.Balance != 0 {
			t.Fatalf("second hold takes what is left: %+v, %v", h2, err)
		}
		if err := db.ReleaseHold(ctx, h2); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseHold(ctx, h2); err != nil { // twice changes nothing
			t.Fatal(err)
		}

		turn := &ajans.Turn{Hold: h, AssistantID: 16, Title: "Merhaba", Model: "mock",
			User:  ajans.Message{Role: ajans.RoleUser, Content: "Merhaba", Tokens: 3},
			Reply: ajans.Message{Role: ajans.RoleAssistant, Content: "Selam", Tokens: 2},
			Usage: ajans.Usage{MessageTokens: 3, ResponseTokens: 2, Credits: 1}}
		if err := db.SaveTurn(ctx, turn); err != nil {
			t.Fatal(err)
		}
		if turn.ChatID == 0 || turn.RemainingCredit != 99 {
			t.Fatalf("turn = chat %d, remaining %d; want a chat and 99", turn.ChatID, turn.RemainingCredit)
		}
		if got := checkLedger(t, db, app.ID); got != 99 {
			t.Fatalf("balance = %d, want 99", got)
		}
	})
}

func TestExpiredHoldsAreReleased(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, app := mustApp(t, db, "a@example.com", 100)
		now := time.Now()
		db.Now = func() time.Time { return now }
		h, err := db.PlaceHold(ctx, app.ID, 1, 30, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := db.ReleaseExpired(ctx); n != 0 || err != nil {
			t.Fatalf("released %d early (%v)", n, err)
		}
		now = now.Add(2 * time.Minute)
		if n, err := db.ReleaseExpired(ctx); n != 1 || err != nil {
			t.Fatalf("released %d, %v; want 1", n, err)
		}
		if got := checkLedger(t, db, app.ID); got != 100 {
			t.Fatalf("balance after release = %d, want 100", got)
		}

		// A call that ends after its hold was swept is still charged once.
		turn := &ajans.Turn{Hold: h, AssistantID: 1, Title: "x",
			User:  ajans.Message{Role: ajans.RoleUser, Content: "a", Tokens: 1},
			Reply: ajans.Message{Role: ajans.RoleAssistant, Content: "a", Tokens: 1},
			Usage: ajans.Usage{MessageTokens: 1, ResponseTokens: 1, Credits: 1}}
		if err := db.SaveTurn(ctx, turn); err != nil {
			t.Fatal(err)
		}
		if got := checkLedger(t, db, app.ID); got != 99 {
			t.Fatalf("balance after late settle = %d, want 99", got)
		}
	})
}

func TestChatsAndMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, app := mustApp(t, db, "a@example.com", 1000)
		_, other := mustApp(t, db, "b@example.com", 1000)

		var chatID int64
		for i := range 5 {
			h, err := db.PlaceHold(ctx, app.ID, 1, 10, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			turn := &ajans.Turn{Hold: h, ChatID: chatID, AssistantID: 16, Title: "t",
				User:  ajans.Message{Role: ajans.RoleUser, Content: fmt.Sprint("q", i), Tokens: 1},
				Reply: ajans.Message{Role: ajans.RoleAssistant, Content: fmt.Sprint("a", i), Tokens: 1},
				Usage: ajans.Usage{MessageTokens: 1, ResponseTokens: 1, Credits: 1}}
			if err := db.SaveTurn(ctx, turn); err != nil {
				t.Fatal(err)
			}
			chatID = turn.ChatID
		}

		all, more, err := db.Messages(ctx, chatID, 0, 0)
		if err != nil || len(all) != 10 || more || all[0].Content != "q0" || all[9].Content != "a4" {
			t.Fatalf("all messages: %d, more %v, %v", len(all), more, err)
		}
		page, more, _ := db.Messages(ctx, chatID, 0, 4)
		if !more || page[0].Content != "q3" || page[3].Content != "a4" {
			t.Fatalf("newest page = %v, more %v", contents(page), more)
		}
		page, more, _ = db.Messages(ctx, chatID, page[0].ID, 4)
		if !more || page[0].Content != "q1" || page[3].Content != "a2" {
			t.Fatalf("second page = %v, more %v", contents(page), more)
		}
		page, more, _ = db.Messages(ctx, chatID, page[0].ID, 4)
		if more || len(page) != 2 || page[0].Content != "q0" {
			t.Fatalf("last page = %v, more %v", contents(page), more)
		}

		chats, err := db.ChatsWith(ctx, app.ID, 16)
		if err != nil || len(chats) != 1 || chats[0].MessageCount != 10 {
			t.Fatalf("ChatsWith = %+v, %v", chats, err)
		}
		if chats, _ := db.ChatsWith(ctx, other.ID, 16); len(chats) != 0 {
			t.Fatalf("another app sees %d chats", len(chats))
		}

		// Another app's chat answers as if it did not exist.
		_, err = db.Chat(ctx, other.ID, chatID)
		wantCode(t, err, ajans.ENOTFOUND)
		wantCode(t, db.DeleteChat(ctx, other.ID, chatID), ajans.ENOTFOUND)
		h, _ := db.PlaceHold(ctx, other.ID, 1, 10, time.Minute)
		err = db.SaveTurn(ctx, &ajans.Turn{Hold: h, ChatID: chatID, Usage: ajans.Usage{Credits: 1}})
		wantCode(t, err, ajans.ENOTFOUND)
		db.ReleaseHold(ctx, h)
		if got := checkLedger(t, db, other.ID); got != 1000 {
			t.Fatalf("other's balance = %d, want 1000", got)
		}

		if err := db.DeleteChat(ctx, app.ID, chatID); err != nil {
			t.Fatal(err)
		}
		if msgs, _, _ := db.Messages(ctx, chatID, 0, 0); len(msgs) != 0 {
			t.Fatalf("%d messages left after delete", len(msgs))
		}
	})
}

func contents(msgs []ajans.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Content)
	}
	return out
}

// TestConcurrentHoldsNeverOverspend places many holds at once on an app that
// can pay for only some of them.
func TestConcurrentHoldsNeverOverspend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, app := mustApp(t, db, "a@example.com", 1000)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var held int64
		refused := 0
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h, err := db.PlaceHold(ctx, app.ID, 100, 100, time.Minute)
				mu.Lock()
				defer mu.Unlock()
				switch ajans.ErrorCode(err) {
				case "":
					held += h.Amount
				case ajans.ECREDIT:
					refused++
				default:
					t.Errorf("hold: %v", err)
				}
			}()
		}
		wg.Wait()
		if held != 1000 || refused != 40 {
			t.Fatalf("held %d with %d refused; want 1000 and 40", held, refused)
		}
		if got := checkLedger(t, db, app.ID); got != 0 {
			t.Fatalf("balance = %d, want 0", got)
		}
	})
}
