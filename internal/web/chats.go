package web

import (
	"net/http"
	"strconv"

	"github.com/ajans/ajans"
)

// chatsData is the data of the chats page.
type chatsData struct {
	Apps  []*ajans.App
	AppID int64
	Chats []chatRow
}

type chatRow struct {
	*ajans.Chat
	Assistant string
}

// chatData is the data of one chat's page.
type chatData struct {
	App       *ajans.App
	Chat      chatRow
	Messages  []ajans.Message
	OlderThan int64 // the id to page back from; 0 when there is nothing older
}

const (
	chatsShown   = 200
	messagesPage = 100
)

// chatsPage lists an app's chats, newest first, read-only.
func (s *Server) chatsPage(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	ctx, l := r.Context(), s.locale(r)
	apps, err := s.DB.AppsByUser(ctx, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := chatsData{Apps: apps}
	status, errText := http.StatusOK, ""
	if id, ok := s.usageFilter(r, apps); !ok {
		status, errText = http.StatusNotFound, l.T("err.no_app")
	} else if id != 0 {
		d.AppID = id
	} else if len(apps) > 0 {
		d.AppID = apps[0].ID
	}
	if d.AppID != 0 {
		chats, err := s.DB.AppChats(ctx, d.AppID, chatsShown)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, c := range chats {
			d.Chats = append(d.Chats, chatRow{c, s.assistantName(l, c.AssistantID)})
		}
	}
	s.render(w, r, status, "chats", &page{L: l, User: u, Title: l.T("chats.title"), Nav: "chats",
		Error: errText, Data: d})
}

// chatPage shows one chat's messages, newest page first.
func (s *Server) chatPage(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	ctx, l := r.Context(), s.locale(r)
	appID, err1 := strconv.ParseInt(r.PathValue("app"), 10, 64)
	chatID, err2 := strconv.ParseInt(r.PathValue("chat"), 10, 64)
	if err1 != nil || err2 != nil {
		s.notFound(w, r)
		return
	}
	app, err := s.DB.AppOfUser(ctx, u.ID, appID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.DB.Chat(ctx, app.ID, chatID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	msgs, more, err := s.DB.Messages(ctx, c.ID, max(before, 0), messagesPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := chatData{App: app, Chat: chatRow{c, s.assistantName(l, c.AssistantID)}, Messages: msgs}
	if more && len(msgs) > 0 {
		d.OlderThan = msgs[0].ID
	}
	s.render(w, r, http.StatusOK, "chat", &page{L: l, User: u, Title: c.Title, Nav: "chats",
		Data: d})
}
