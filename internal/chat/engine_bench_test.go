package chat

import (
	"context"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/catalog"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
	"github.com/ajans/ajans/internal/tokens"
)

// echoModels resolves every model to echoProvider.
type echoModels struct{}

func (echoModels) Resolve(string) (llm.Provider, string, error) {
	return echoProvider{}, "echo", nil
}

// echoProvider answers in-process with the last message, so that a
// benchmark of the engine measures the engine and the store, not HTTP.
type echoProvider struct{}

func (echoProvider) Name() string { return "echo" }

func (echoProvider) Complete(_ context.Context, req llm.Request) (*llm.Response, error) {
	last := req.Messages[len(req.Messages)-1].Content
	return &llm.Response{Content: last, PromptTokens: 100, CompletionTokens: 31,
		FinishReason: "stop"}, nil
}

const benchText = "Python ile REST API yaz: kayıt, giriş ve profil uçları olsun; " +
	"PostgreSQL kullan ve testleri de ekle."

// BenchmarkSend measures Engine.Send for a message to an existing chat with
// an in-process model, on each database: the history read, the token
// count, the hold, the prompt and the settle with both messages. Chats get
// 4 messages each before fresh ones replace them.
func BenchmarkSend(b *testing.B) {
	for _, kind := range storetest.Kinds {
		b.Run(kind, func(b *testing.B) {
			db := storetest.Open(b, kind)
			caller := benchCaller(b, db)
			assistants, err := catalog.Load("")
			if err != nil {
				b.Fatal(err)
			}
			e := New(Config{Store: db, Team: catalog.NewTeam(assistants), Models: echoModels{},
				Rules: billing.DefaultRules(), Count: tokens.Count})
			ctx := context.Background()
			const chats, turns = 8, 4
			var ids []int64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%(chats*turns) == 0 {
					b.StopTimer()
					ids = benchChats(b, e, caller, chats)
					b.StartTimer()
				}
				_, err := e.Send(ctx, Request{Caller: caller, ChatID: ids[i%chats], Message: benchText})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchCaller makes a business user with an app holding plenty of credits.
func benchCaller(b *testing.B, db *store.DB) ajans.Caller {
	b.Helper()
	ctx := context.Background()
	u := &ajans.User{Email: "bench@example.com", Plan: "business"}
	if err := db.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	app, err := db.CreateApp(ctx, u.ID, "bench", "hash", "ajs_…")
	if err != nil {
		b.Fatal(err)
	}
	const credits = 1 << 40
	if _, _, err := db.GrantUser(ctx, u.ID, credits, store.KindGrant, "", ""); err != nil {
		b.Fatal(err)
	}
	if _, _, err := db.Transfer(ctx, u.ID, app.ID, credits); err != nil {
		b.Fatal(err)
	}
	return ajans.Caller{AppID: app.ID, UserID: u.ID, Plan: u.Plan}
}

// benchChats starts n chats with assistant 16 and returns their ids.
func benchChats(b *testing.B, e *Engine, c ajans.Caller, n int) []int64 {
	b.Helper()
	ids := make([]int64, n)
	for i := range ids {
		rep, err := e.Send(context.Background(), Request{Caller: c, AssistantID: 16,
			Message: benchText})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = rep.ChatID
	}
	return ids
}
