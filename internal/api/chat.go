package api

import (
	"net/http"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/chat"
)

// chatReply is the answer to newChat and sendMessage.
type chatReply struct {
	ChatID          int64      `json:"chat_id"`
	Message         string     `json:"message"`
	RemainingCredit int64      `json:"remaining_credit"`
	IsImage         bool       `json:"is_image"`
	Usage           usageReply `json:"usage"`
}

type usageReply struct {
	MessageTokens  int   `json:"message_tokens"`
	ResponseTokens int   `json:"response_tokens"`
	Credits        int64 `json:"credits"`
}

func writeChatReply(w http.ResponseWriter, rep *chat.Reply) {
	writeJSON(w, http.StatusOK, chatReply{
		ChatID:          rep.ChatID,
		Message:         rep.Message,
		RemainingCredit: rep.RemainingCredit,
		Usage: usageReply{
			MessageTokens:  rep.Usage.MessageTokens,
			ResponseTokens: rep.Usage.ResponseTokens,
			Credits:        rep.Usage.Credits,
		},
	})
}

// newChat answers POST /api/v2/newChat/{ai_id}/{token}.
func (s *Server) newChat(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	aiID, err := id("ai_id", r.PathValue("ai_id"))
	if err != nil {
		return err
	}
	f, err := readFields(w, r)
	if err != nil {
		return err
	}
	rep, err := s.Engine.Send(r.Context(), chat.Request{Caller: c, AssistantID: aiID, Message: f["message"]})
	if err != nil {
		return err
	}
	writeChatReply(w, rep)
	return nil
}

// sendMessage answers POST /api/v2/sendMessage/{token}.
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	f, err := readFields(w, r)
	if err != nil {
		return err
	}
	if f["chat_id"] == "" {
		return ajans.Errorf(ajans.EINVALID,
			"chat_id is missing. Start a chat with newChat and send its chat_id.")
	}
	chatID, err := id("chat_id", f["chat_id"])
	if err != nil {
		return err
	}
	rep, err := s.Engine.Send(r.Context(), chat.Request{Caller: c, ChatID: chatID, Message: f["message"]})
	if err != nil {
		return err
	}
	writeChatReply(w, rep)
	return nil
}

type messageReply struct {
	ID        int64     `json:"id"`
	Role      string    `json:"role"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"created_at"`
}

type historyReply struct {
	ChatID     int64          `json:"chat_id"`
	AIID       int64          `json:"ai_id"`
	Title      string         `json:"title"`
	Messages   []messageReply `json:"messages"`
	HasMore    bool           `json:"has_more"`
	NextBefore int64          `json:"next_before,omitempty"`
}

// maxPage is the largest page of history one resumeChat call returns.
const maxPage = 200

// resumeChat answers POST /api/v2/resumeChat/{chat_id}/{token}: the chat's
// messages oldest first; with `limit` (and `before`), one page of them.
func (s *Server) resumeChat(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	chatID, err := id("chat_id", r.PathValue("chat_id"))
	if err != nil {
		return err
	}
	f, err := readFields(w, r)
	if err != nil {
		return err
	}
	limit, err := optionalInt(f, "limit", 1, maxPage)
	if err != nil {
		return err
	}
	before, err := optionalInt(f, "before", 1, 1<<62)
	if err != nil {
		return err
	}
	ch, err := s.Store.Chat(r.Context(), c.AppID, chatID)
	if err != nil {
		return err
	}
	msgs, more, err := s.Store.Messages(r.Context(), ch.ID, before, int(limit))
	if err != nil {
		return err
	}
	out := historyReply{ChatID: ch.ID, AIID: ch.AssistantID, Title: ch.Title, HasMore: more,
		Messages: make([]messageReply, 0, len(msgs))}
	for _, m := range msgs {
		out.Messages = append(out.Messages, messageReply{m.ID, m.Role, m.Content, m.CreatedAt})
	}
	if more && len(msgs) > 0 {
		out.NextBefore = msgs[0].ID
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type chatSummary struct {
	ChatID       int64     `json:"chat_id"`
	AIID         int64     `json:"ai_id"`
	Title        string    `json:"title"`
	MessageCount int       `json:"message_count"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// viewChats answers GET /api/v2/view-chats/{ai_id}/{token}: the app's chats
// with that assistant, newest first, as a bare array.
func (s *Server) viewChats(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	aiID, err := id("ai_id", r.PathValue("ai_id"))
	if err != nil {
		return err
	}
	if _, ok := s.Team.Get(aiID); !ok {
		return ajans.Errorf(ajans.ENOTFOUND,
			"There is no assistant %d. List the team with ai-team-list.", aiID)
	}
	chats, err := s.Store.ChatsWith(r.Context(), c.AppID, aiID)
	if err != nil {
		return err
	}
	out := make([]chatSummary, 0, len(chats))
	for _, ch := range chats {
		out = append(out, chatSummary{ch.ID, ch.AssistantID, ch.Title, ch.MessageCount,
			ch.CreatedAt, ch.UpdatedAt})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type deleteReply struct {
	Deleted bool  `json:"deleted"`
	ChatID  int64 `json:"chat_id"`
}

// deleteChat answers DELETE /api/v2/deleteChat/{chat_id}/{token}.
func (s *Server) deleteChat(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	chatID, err := id("chat_id", r.PathValue("chat_id"))
	if err != nil {
		return err
	}
	if err := s.Store.DeleteChat(r.Context(), c.AppID, chatID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deleteReply{Deleted: true, ChatID: chatID})
	return nil
}
