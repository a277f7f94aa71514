package store_test

import (
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
)

// The store's part of every sendMessage call, on each database: finding
// the caller by token, holding credits, settling them while saving the
// turn, and reading the history. PostgreSQL runs when
// AJANS_TEST_DATABASE_URL is set.

// benchKinds runs fn once per database kind with a fresh database.
func benchKinds(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	for _, kind := range storetest.Kinds {
		b.Run(kind, func(b *testing.B) {
			db := storetest.Open(b, kind) // skips PostgreSQL when it is not configured
			b.ReportAllocs()
			fn(b, db)
		})
	}
}

// BenchmarkCallerByTokenHash measures token authentication: hashing the
// token from the URL and finding its app and plan.
func BenchmarkCallerByTokenHash(b *testing.B) {
	benchKinds(b, func(b *testing.B, db *store.DB) {
		u, _ := mustApp(b, db, "owner@example.com", 0)
		token := ajans.MustNewToken()
		if _, err := db.CreateApp(ctx, u.ID, "bench", ajans.HashToken(token),
			ajans.ShowToken(token)); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := db.CallerByTokenHash(ctx, ajans.HashToken(token)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchChat is an app with credits and a chat of two messages.
func benchChat(b *testing.B, db *store.DB) (appID, chatID int64) {
	b.Helper()
	_, app := mustApp(b, db, "owner@example.com", 1<<40)
	turn := benchTurn(b, db, app.ID, 0)
	if err := db.SaveTurn(ctx, turn); err != nil {
		b.Fatal(err)
	}
	return app.ID, turn.ChatID
}

// benchTurn places a hold as sendMessage does for a short message and
// returns the turn that settles it: 30 message tokens, 30 reply tokens.
func benchTurn(b *testing.B, db *store.DB, appID, chatID int64) *ajans.Turn {
	hold, err := db.PlaceHold(ctx, appID, 1, 42, 15*time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	text := "Python ile REST API yaz: kayıt, giriş ve profil uçları olsun."
	return &ajans.Turn{Hold: hold, ChatID: chatID, AssistantID: 16, Title: text, Model: "mock",
		User:  ajans.Message{Role: ajans.RoleUser, Content: text, Tokens: 30},
		Reply: ajans.Message{Role: ajans.RoleAssistant, Content: text, Tokens: 30},
		Usage: ajans.Usage{MessageTokens: 30, ResponseTokens: 30, Credits: 1}}
}

// BenchmarkHoldSettle measures the two write transactions of a message:
// placing the hold, then settling it with both messages and the call row.
func BenchmarkHoldSettle(b *testing.B) {
	benchKinds(b, func(b *testing.B, db *store.DB) {
		appID, chatID := benchChat(b, db)
		for b.Loop() {
			if err := db.SaveTurn(ctx, benchTurn(b, db, appID, chatID)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHoldRelease measures a hold given back, as after a failed call.
func BenchmarkHoldRelease(b *testing.B) {
	benchKinds(b, func(b *testing.B, db *store.DB) {
		appID, _ := benchChat(b, db)
		for b.Loop() {
			h, err := db.PlaceHold(ctx, appID, 1, 42, 15*time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			if err := db.ReleaseHold(ctx, h); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSaveTurn measures message persistence alone: settling a hold
// placed beforehand (outside the timer) and saving both messages.
func BenchmarkSaveTurn(b *testing.B) {
	benchKinds(b, func(b *testing.B, db *store.DB) {
		appID, chatID := benchChat(b, db)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			turn := benchTurn(b, db, appID, chatID)
			b.StartTimer()
			if err := db.SaveTurn(ctx, turn); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHistory measures reading a chat and its newest messages, as
// sendMessage does before calling the model, for a chat of 8 messages.
func BenchmarkHistory(b *testing.B) {
	benchKinds(b, func(b *testing.B, db *store.DB) {
		appID, chatID := benchChat(b, db)
		for range 3 {
			if err := db.SaveTurn(ctx, benchTurn(b, db, appID, chatID)); err != nil {
				b.Fatal(err)
			}
		}
		for b.Loop() {
			if _, err := db.Chat(ctx, appID, chatID); err != nil {
				b.Fatal(err)
			}
			msgs, _, err := db.Messages(ctx, chatID, 0, 50)
			if err != nil || len(msgs) != 8 {
				b.Fatalf("%d messages, %v", len(msgs), err)
			}
		}
	})
}
