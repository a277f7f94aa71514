// Package chat is the conversation engine of ajans: it assembles the prompt
// for an assistant, holds credits before the model call, calls the model,
// and settles the cost while saving both turns.
package chat

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/render"
)

// MaxMessageBytes is the longest message the API accepts, in bytes of UTF-8.
const MaxMessageBytes = 100_000

// Store is what the engine needs of the database.
type Store interface {
	Chat(ctx context.Context, appID, chatID int64) (*ajans.Chat, error)
	Messages(ctx context.Context, chatID, before int64, limit int) ([]ajans.Message, bool, error)
	PlaceHold(ctx context.Context, appID, min, want int64, ttl time.Duration) (ajans.Hold, error)
	ReleaseHold(ctx context.Context, h ajans.Hold) error
	SaveTurn(ctx context.Context, turn *ajans.Turn) error
	DeleteChat(ctx context.Context, appID, chatID int64) error

	ChatFiles(ctx context.Context, chatID int64) ([]ajans.File, error)
	FileByName(ctx context.Context, name string) (*ajans.File, error)
	DeletedFiles(ctx context.Context, limit int) ([]ajans.File, error)
	ForgetFiles(ctx context.Context, ids []int64) error
}

// Team finds assistants by id.
type Team interface {
	Get(id int64) (*ajans.Assistant, bool)
}

// Models resolves an assistant's model to a provider.
type Models interface {
	Resolve(model string) (llm.Provider, string, error)
}

// MaxFiles returns how many files one message may carry.
func (e *Engine) MaxFiles() int { return e.cfg.MaxFiles }

// Request is one message to an assistant, in a new chat or an existing one.
type Request struct {
	Caller      ajans.Caller
	ChatID      int64 // 0 starts a new chat with AssistantID
	AssistantID int64
	Message     string

	// Plan is the caller's plan; its features decide whether files may be
	// sent and images and documents made.
	Plan ajans.Plan
	// Attachments are the files sent with the message, spooled by Spool.
	// The caller removes them once Send returns.
	Attachments []*Upload
	// Output asks for the reply as a file: "docx", "pdf", "xlsx" or "md".
	Output string
}

// Reply is the assistant's answer and what it cost.
type Reply struct {
	ChatID          int64
	Message         string
	RemainingCredit int64
	Usage           ajans.Usage

	IsImage bool
	Images  []string     // the names of generated images
	Files   []ajans.File // generated documents
	Notices []string     // what the caller should know, e.g. that a file was cut
}

// call is one Send in progress.
type call struct {
	req       Request
	msg       string
	output    render.Format
	asst      *ajans.Assistant
	history   []ajans.Message
	histFiles map[int64][]ajans.File
	provider  llm.Provider
	model     string
	in        *input
}

// Send delivers the message, with its attachments, to the assistant and
// returns the reply: text, an image for an assistant that makes images,
// or documents. A call that fails anywhere costs nothing and stores
// nothing.
func (e *Engine) Send(ctx context.Context, req Request) (*Reply, error) {
	c, err := e.prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	if c.asst.Can(ajans.CapabilityImage) {
		return e.sendImage(ctx, c)
	}
	return e.sendText(ctx, c)
}

// prepare checks the request and reads what the call needs: the chat's
// history, the assistant, its model and the attachments.
func (e *Engine) prepare(ctx context.Context, req Request) (*call, error) {
	msg, err := CheckMessage(req.Message)
	if err != nil {
		return nil, err
	}
	c := &call{req: req, msg: msg}
	if c.output, err = checkOutput(req); err != nil {
		return nil, err
	}
	if err := e.checkUploads(req); err != nil {
		return nil, err
	}
	if req.ChatID != 0 {
		if err := e.loadHistory(ctx, c); err != nil {
			return nil, err
		}
	}
	asst, ok := e.cfg.Team.Get(c.req.AssistantID)
	if !ok {
		return nil, ajans.Errorf(ajans.ENOTFOUND,
			"There is no assistant %d. List the team with ai-team-list.", c.req.AssistantID)
	}
	c.asst = asst
	if c.provider, c.model, err = e.cfg.Models.Resolve(asst.Model); err != nil {
		return nil, err
	}
	c.in, err = e.readAttachments(asst, msg, req.Attachments)
	return c, err
}

// loadHistory reads the chat's earlier messages and their files.
func (e *Engine) loadHistory(ctx context.Context, c *call) error {
	chat, err := e.cfg.Store.Chat(ctx, c.req.Caller.AppID, c.req.ChatID)
	if err != nil {
		return err
	}
	c.req.AssistantID = chat.AssistantID
	c.history, _, err = e.cfg.Store.Messages(ctx, chat.ID, 0, e.cfg.HistoryMessages)
	if err != nil {
		return err
	}
	if e.cfg.Blobs == nil {
		return nil
	}
	c.histFiles, err = e.ChatFiles(ctx, chat.ID)
	return err
}

// sendText asks the model for a reply and renders the documents in it.
func (e *Engine) sendText(ctx context.Context, c *call) (*Reply, error) {
	// Hold what the longest reply would cost, or what the app has.
	least, want := e.cfg.Rules.Quote(c.in.tokens)
	hold, err := e.cfg.Store.PlaceHold(ctx, c.req.Caller.AppID, least, want, e.cfg.Rules.HoldTTL)
	if err != nil {
		return nil, err
	}
	resp, err := c.provider.Complete(ctx, llm.Request{
		Model:     c.model,
		Messages:  e.prompt(c),
		MaxTokens: e.cfg.Rules.OutputCap(hold.Amount, c.in.tokens),
	})
	if err == nil {
		err = ctx.Err() // cut off (by the client or by shutdown) as the answer came
	}
	var docs []stored
	if err == nil {
		docs, resp.Content, err = e.documents(c, resp.Content)
	}
	if err == nil && len(docs) > 0 && e.cfg.Blobs == nil {
		err = errNoStorage
	}
	if err != nil {
		e.release(ctx, hold)
		return nil, err
	}

	turn := e.turn(c, hold, c.model, resp)
	for _, d := range docs {
		turn.Reply.Files = append(turn.Reply.Files, d.file)
	}
	if err := e.save(ctx, hold, turn, append(c.in.files, docs...)); err != nil {
		return nil, err
	}
	return &Reply{ChatID: turn.ChatID, Message: turn.Reply.Content,
		RemainingCredit: turn.RemainingCredit, Usage: turn.Usage,
		Files: turn.Reply.Files, Notices: c.in.notices}, nil
}

// save stores the files' bytes, then the turn; when either fails the
// hold is released and the bytes deleted again.
func (e *Engine) save(ctx context.Context, hold ajans.Hold, turn *ajans.Turn,
	files []stored) error {
	ctx = context.WithoutCancel(ctx)
	if len(files) > 0 {
		if err := e.putBlobs(ctx, files); err != nil {
			e.release(ctx, hold)
			return err
		}
	}
	if err := e.cfg.Store.SaveTurn(ctx, turn); err != nil {
		e.release(ctx, hold)
		e.deleteBlobs(files)
		return err
	}
	return nil
}

// release gives a hold back in full, even when ctx is cancelled.
func (e *Engine) release(ctx context.Context, h ajans.Hold) {
	if err := e.cfg.Store.ReleaseHold(context.WithoutCancel(ctx), h); err != nil {
		// The sweeper releases it when it expires.
		e.cfg.Log.Error("release hold", "hold", h.ID, "err", err)
	}
}

func (e *Engine) turn(c *call, hold ajans.Hold, model string, resp *llm.Response) *ajans.Turn {
	respTokens := resp.CompletionTokens
	if respTokens == 0 && resp.Content != "" {
		respTokens = e.cfg.Count(resp.Content) // the provider reported no usage
	}
	user := ajans.Message{Role: ajans.RoleUser, Content: c.msg, Tokens: c.in.tokens}
	for _, f := range c.in.files {
		user.Files = append(user.Files, f.file)
	}
	return &ajans.Turn{
		Hold:        hold,
		ChatID:      c.req.ChatID,
		AssistantID: c.req.AssistantID,
		Title:       Title(c.msg),
		Model:       model,
		User:        user,
		Reply: ajans.Message{Role: ajans.RoleAssistant, Content: resp.Content,
			Tokens: respTokens},
		Usage: ajans.Usage{
			MessageTokens:  c.in.tokens,
			ResponseTokens: respTokens,
			Credits:        billing.Charge(hold.Amount, c.in.tokens, respTokens),
		},
	}
}

// prompt is the system prompt, the newest earlier turns that fit the context
// budget, oldest first (user messages with their attachments' text), and
// the new message with its images.
func (e *Engine) prompt(c *call) []llm.Message {
	history := c.history
	first, budget := len(history), e.cfg.ContextTokens
	for first > 0 && history[first-1].Tokens <= budget {
		first--
		budget -= history[first].Tokens
	}
	out := make([]llm.Message, 0, len(history)-first+2)
	system := c.asst.SystemPrompt
	if extra := documentPrompt(c); extra != "" {
		system = strings.TrimSpace(system + "\n\n" + extra)
	}
	if system != "" {
		out = append(out, llm.Message{Role: llm.RoleSystem, Content: system})
	}
	for _, m := range history[first:] {
		out = append(out, llm.Message{Role: m.Role, Content: withFiles(m, c.histFiles[m.ID])})
	}
	return append(out, llm.Message{Role: llm.RoleUser, Content: c.in.text, Images: c.in.images})
}

// withFiles returns an earlier message as the model saw it: a user's
// message with its attachments' text (images are named, not resent).
func withFiles(m ajans.Message, files []ajans.File) string {
	if m.Role != ajans.RoleUser {
		return m.Content
	}
	var b strings.Builder
	b.WriteString(m.Content)
	for _, f := range files {
		switch {
		case f.Kind != ajans.FileAttachment:
		case f.Text != "":
			b.WriteString(attachmentBlock(f.Title, f.Text))
		default:
			b.WriteString("\n\n[Attached image: " + f.Title + "]")
		}
	}
	return b.String()
}

// CheckMessage returns the message trimmed of surrounding space, or an
// EINVALID error when it is empty, too long or not UTF-8.
func CheckMessage(msg string) (string, error) {
	msg = strings.TrimSpace(msg)
	switch {
	case msg == "":
		return "", ajans.Errorf(ajans.EINVALID, "The message is empty. Send the text in the field `message`.")
	case len(msg) > MaxMessageBytes:
		return "", ajans.Errorf(ajans.EINVALID,
			"The message is %d bytes long; the most is %d. Split it into several messages.",
			len(msg), MaxMessageBytes)
	case !utf8.ValidString(msg):
		return "", ajans.Errorf(ajans.EINVALID, "The message is not valid UTF-8 text.")
	}
	return msg, nil
}

// Title returns a chat title made from its first message: the first line,
// at most 80 characters.
func Title(msg string) string {
	line, _, _ := strings.Cut(msg, "\n")
	line = strings.TrimSpace(line)
	if utf8.RuneCountInString(line) <= 80 {
		return line
	}
	runes := []rune(line)
	return strings.TrimSpace(string(runes[:79])) + "…"
}

// IsCancelled reports whether err comes from a cancelled request.
func IsCancelled(err error) bool { return errors.Is(err, context.Canceled) }
