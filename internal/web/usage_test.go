package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ajans/ajans"
)

// call records a metered call of the app through the store, as the chat
// engine does.
func (e *env) call(appID, credits int64) {
	e.t.Helper()
	h, err := e.db.PlaceHold(ctx, appID, credits, credits, time.Minute)
	if err != nil {
		e.t.Fatal(err)
	}
	turn := &ajans.Turn{Hold: h, AssistantID: 16, Title: "Merhaba dünya", Model: "mock/mock",
		User:  ajans.Message{Role: ajans.RoleUser, Content: "Merhaba! Çalışıyor mu?"},
		Reply: ajans.Message{Role: ajans.RoleAssistant, Content: "Evet, çalışıyor."},
		Usage: ajans.Usage{MessageTokens: 7, ResponseTokens: 5, Credits: credits}}
	if err := e.db.SaveTurn(ctx, turn); err != nil {
		e.t.Fatal(err)
	}
}

func TestUsagePagesAndExport(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("en")
	c.signup("ali@example.com")
	app, _ := c.createApp("=cmd|calc")
	c.post("/apps/"+itoa(app.ID)+"/transfer", url.Values{"amount": {"1000"}})
	for i := range 55 {
		e.call(app.ID, int64(i%3+1))
	}
	other := e.client("en")
	other.signup("veli@example.com")
	otherApp, _ := other.createApp("theirs")

	p := c.get("/usage")
	wantText(t, p, `<svg class="chart"`, "<rect class=\"c0\"", "Total: 109 credits",
		`rel="next"`, "mock/mock")
	if n := strings.Count(p.body, "<tr>"); n != 51 { // the head and 50 calls
		t.Fatalf("page 1 has %d rows", n)
	}
	p = c.get("/usage?app=" + itoa(app.ID) + "&page=2")
	if n := strings.Count(p.body, "<tr>"); n != 6 {
		t.Fatalf("page 2 has %d rows", n)
	}
	wantText(t, p, `rel="prev"`)

	p = c.get("/usage?app=" + itoa(otherApp.ID))
	if p.status != http.StatusNotFound {
		t.Fatalf("another user's app as filter: %d", p.status)
	}
	wantText(t, p, "no such application")

	p = c.get("/usage.csv?app=" + itoa(app.ID))
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil || len(rows) != 56 {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	if rows[0][0] != "time" || rows[1][2] != "'=cmd|calc" || rows[1][6] != "mock/mock" {
		t.Fatalf("CSV rows: %q, %q", rows[0], rows[1])
	}

	chats := c.get("/chats")
	wantText(t, chats, "Merhaba dünya", "Software Developer")
	chat := c.get("/chats/" + itoa(app.ID) + "/1")
	wantText(t, chat, "Merhaba! Çalışıyor mu?", "Evet, çalışıyor.")
	if p := other.get("/chats/" + itoa(app.ID) + "/1"); p.status != http.StatusNotFound {
		t.Fatalf("another user's chat: %d", p.status)
	}
}
