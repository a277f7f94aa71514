package api_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ajans/ajans/internal/store/storetest"
)

// TestSpecFlow walks the spec's examples: credit, team, newChat,
// sendMessage (multipart and urlencoded), resumeChat, view-chats, deleteChat.
func TestSpecFlow(t *testing.T) {
	storetest.EachKind(t, func(t *testing.T, kind string) {
		e := newEnv(t, options{kind: kind, credits: 5000})

		var credit struct {
			Credit    int64 `json:"credit"`
			LowCredit bool  `json:"low_credit"`
			NoCredit  bool  `json:"no_credit"`
		}
		e.get("/api/v2/credit/"+e.token).decode(t, &credit)
		if credit.Credit != 5000 || credit.LowCredit || credit.NoCredit {
			t.Fatalf("credit = %+v", credit)
		}

		var team []struct {
			ID   int64             `json:"id"`
			Name map[string]string `json:"name"`
		}
		e.get("/api/v2/ai-team-list/"+e.token).decode(t, &team)
		if len(team) < 12 || team[0].Name["name_tr"] == "" {
			t.Fatalf("team = %+v", team)
		}

		first := e.newChat("16", "Merhaba! Çalışıyor musun?")
		if first.Message != "Merhaba! Çalışıyor musun?" || first.ChatID == 0 || first.IsImage {
			t.Fatalf("newChat = %+v", first)
		}
		if first.Usage.Credits != 1 || first.RemainingCredit != 4999 {
			t.Fatalf("newChat cost %d, remaining %d", first.Usage.Credits, first.RemainingCredit)
		}

		chatID := strconv.FormatInt(first.ChatID, 10)
		send := []func(string, map[string]string) response{e.postMultipart, e.postForm}
		for i, post := range send {
			r := post("/api/v2/sendMessage/"+e.token, map[string]string{
				"chat_id": chatID, "message": fmt.Sprintf("Python ile REST API yaz %d", i)})
			var rep chatReply
			r.decode(t, &rep)
			if r.status != http.StatusOK || rep.ChatID != first.ChatID ||
				rep.Message != fmt.Sprintf("Python ile REST API yaz %d", i) {
				t.Fatalf("sendMessage %d: %d %s", i, r.status, r.body)
			}
		}

		var history struct {
			ChatID   int64 `json:"chat_id"`
			AIID     int64 `json:"ai_id"`
			Messages []struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"messages"`
		}
		e.call(http.MethodPost, "/api/v2/resumeChat/"+chatID+"/"+e.token, "", nil).decode(t, &history)
		if len(history.Messages) != 6 || history.AIID != 16 ||
			history.Messages[0].Role != "user" || history.Messages[5].Role != "assistant" {
			t.Fatalf("history = %+v", history)
		}

		var chats []struct {
			ChatID       int64 `json:"chat_id"`
			MessageCount int   `json:"message_count"`
		}
		e.get("/api/v2/view-chats/16/"+e.token).decode(t, &chats)
		if len(chats) != 1 || chats[0].ChatID != first.ChatID || chats[0].MessageCount != 6 {
			t.Fatalf("view-chats = %+v", chats)
		}

		r := e.call(http.MethodDelete, "/api/v2/deleteChat/"+chatID+"/"+e.token, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("deleteChat: %d %s", r.status, r.body)
		}
		r = e.call(http.MethodPost, "/api/v2/resumeChat/"+chatID+"/"+e.token, "", nil)
		if r.status != http.StatusNotFound {
			t.Fatalf("resumeChat after delete: %d", r.status)
		}
		if b := e.balance(); b != 4997 {
			t.Fatalf("balance = %d, want 4997 after three one-credit calls", b)
		}
	})
}

func TestNewChatBodies(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	path := "/api/v2/newChat/16/" + e.token
	fields := map[string]string{"message": "Günaydın"}
	for name, post := range map[string]func(string, map[string]string) response{
		"json": func(p string, f map[string]string) response { return e.postJSON(p, f) },
		"form": e.postForm, "multipart": e.postMultipart,
	} {
		t.Run(name, func(t *testing.T) {
			r := post(path, fields)
			var rep chatReply
			r.decode(t, &rep)
			if r.status != http.StatusOK || rep.Message != "Günaydın" {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})
	}
}

func TestResumeChatPages(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	first := e.newChat("16", "q0")
	chatID := strconv.FormatInt(first.ChatID, 10)
	for i := 1; i < 5; i++ {
		e.postForm("/api/v2/sendMessage/"+e.token, map[string]string{"chat_id": chatID,
			"message": fmt.Sprint("q", i)})
	}
	type page struct {
		Messages []struct {
			ID      int64  `json:"id"`
			Content string `json:"content"`
		} `json:"messages"`
		HasMore    bool  `json:"has_more"`
		NextBefore int64 `json:"next_before"`
	}
	var got []string
	before := ""
	for range 10 {
		var p page
		e.call(http.MethodPost, "/api/v2/resumeChat/"+chatID+"/"+e.token+"?limit=3"+before,
			"", nil).decode(t, &p)
		var contents []string
		for _, m := range p.Messages {
			contents = append(contents, m.Content)
		}
		got = append(contents, got...)
		if !p.HasMore {
			break
		}
		before = fmt.Sprint("&before=", p.NextBefore)
	}
	want := "q0 q0 q1 q1 q2 q2 q3 q3 q4 q4"
	if strings.Join(got, " ") != want {
		t.Fatalf("pages joined = %q, want %q", strings.Join(got, " "), want)
	}
}
