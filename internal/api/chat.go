package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/chat"
)

// chatReply is the answer to newChat and sendMessage.
type chatReply struct {
	ChatID          int64       `json:"chat_id"`
	Message         string      `json:"message"`
	RemainingCredit int64       `json:"remaining_credit"`
	IsImage         bool        `json:"is_image"`
	Images          []string    `json:"images,omitempty"`
	IsDocument      bool        `json:"is_document,omitempty"`
	Files           []fileReply `json:"files,omitempty"`
	Notices         []string    `json:"notices,omitempty"`
	Usage           usageReply  `json:"usage"`
}

type usageReply struct {
	MessageTokens  int   `json:"message_tokens"`
	ResponseTokens int   `json:"response_tokens"`
	Credits        int64 `json:"credits"`
}

// fileReply is a file the platform made, with where to fetch it.
type fileReply struct {
	FileName string `json:"file_name"`
	URL      string `json:"url"`
	MIME     string `json:"mime"`
	Size     int64  `json:"size"`
}

func writeChatReply(w http.ResponseWriter, rep *chat.Reply) {
	writeJSON(w, http.StatusOK, chatReply{
		ChatID:          rep.ChatID,
		Message:         rep.Message,
		RemainingCredit: rep.RemainingCredit,
		IsImage:         rep.IsImage,
		Images:          rep.Images,
		IsDocument:      len(rep.Files) > 0,
		Files:           fileReplies(rep.Files),
		Notices:         rep.Notices,
		Usage: usageReply{
			MessageTokens:  rep.Usage.MessageTokens,
			ResponseTokens: rep.Usage.ResponseTokens,
			Credits:        rep.Usage.Credits,
		},
	})
}

// fileReplies describes generated files, images and documents alike.
func fileReplies(files []ajans.File) []fileReply {
	var out []fileReply
	for _, f := range files {
		out = append(out, fileReply{FileName: f.Name, URL: fileURL(f), MIME: f.MIME, Size: f.Size})
	}
	return out
}

// fileURL is where a generated file is served.
func fileURL(f ajans.File) string {
	path := "/api/file?fileName="
	if f.Kind == ajans.FileImage {
		path = "/api/image?fileName="
	}
	return path + url.QueryEscape(f.Name)
}

// readMessage reads a metered request: its fields, and its attachments
// when the caller's plan allows them. The caller removes the uploads.
func (s *Server) readMessage(w http.ResponseWriter, r *http.Request,
	plan ajans.Plan) (fields, []*chat.Upload, error) {
	fs := &files{refuse: s.Engine.CheckFiles(plan), max: s.Engine.MaxFiles(),
		spool: s.Engine.Spool}
	return readBody(w, r, fs)
}

// send reads a metered request and sends its message.
func (s *Server) send(w http.ResponseWriter, r *http.Request, req chat.Request,
	needChat bool) error {
	plan, _ := ajans.PlanByName(s.Plans, req.Caller.Plan)
	f, uploads, err := s.readMessage(w, r, plan)
	if err != nil {
		return err
	}
	defer chat.RemoveUploads(uploads)
	if needChat {
		if f["chat_id"] == "" {
			return ajans.Errorf(ajans.EINVALID,
				"chat_id is missing. Start a chat with newChat and send its chat_id.")
		}
		if req.ChatID, err = id("chat_id", f["chat_id"]); err != nil {
			return err
		}
	}
	req.Message, req.Plan, req.Attachments, req.Output = f["message"], plan, uploads, f["output"]
	rep, err := s.Engine.Send(r.Context(), req)
	if err != nil {
		return err
	}
	writeChatReply(w, rep)
	return nil
}

// newChat answers POST /api/v2/newChat/{ai_id}/{token}.
func (s *Server) newChat(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	aiID, err := id("ai_id", r.PathValue("ai_id"))
	if err != nil {
		return err
	}
	return s.send(w, r, chat.Request{Caller: c, AssistantID: aiID}, false)
}

// sendMessage answers POST /api/v2/sendMessage/{token}.
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	return s.send(w, r, chat.Request{Caller: c}, true)
}

type messageReply struct {
	ID          int64             `json:"id"`
	Role        string            `json:"role"`
	Content     string            `json:"content"`
	CreatedAt   time.Time         `json:"created_at"`
	Attachments []attachmentReply `json:"attachments,omitempty"`
	Files       []fileReply       `json:"files,omitempty"`
}

// attachmentReply describes a file the user sent with a message.
type attachmentReply struct {
	Name   string `json:"name"`
	MIME   string `json:"mime"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// historyMessage describes a message with its files.
func historyMessage(m ajans.Message, files []ajans.File) messageReply {
	out := messageReply{ID: m.ID, Role: m.Role, Content: m.Content, CreatedAt: m.CreatedAt}
	var made []ajans.File
	for _, f := range files {
		if f.Kind == ajans.FileAttachment {
			out.Attachments = append(out.Attachments,
				attachmentReply{Name: f.Title, MIME: f.MIME, Size: f.Size, SHA256: f.SHA256})
		} else {
			made = append(made, f)
		}
	}
	out.Files = fileReplies(made)
	return out
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
	files, err := s.Engine.ChatFiles(r.Context(), ch.ID)
	if err != nil {
		return err
	}
	out := historyReply{ChatID: ch.ID, AIID: ch.AssistantID, Title: ch.Title, HasMore: more,
		Messages: make([]messageReply, 0, len(msgs))}
	for _, m := range msgs {
		out.Messages = append(out.Messages, historyMessage(m, files[m.ID]))
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
	if err := s.Engine.DeleteChat(r.Context(), c.AppID, chatID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deleteReply{Deleted: true, ChatID: chatID})
	return nil
}
