// Package chat is the conversation engine of ajans: it assembles the prompt
// for an assistant, holds credits before the model call, calls the model,
// and settles the cost while saving both turns.
package chat

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/llm"
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
}

// Team finds assistants by id.
type Team interface {
	Get(id int64) (*ajans.Assistant, bool)
}

// Models resolves an assistant's model to a provider.
type Models interface {
	Resolve(model string) (llm.Provider, string, error)
}

// Config is what an Engine is built from.
type Config struct {
	Store  Store
	Team   Team
	Models Models
	Rules  billing.Rules
	Count  func(string) int // counts a text's tokens

	// ContextTokens is the budget for earlier turns resent as context.
	ContextTokens int
	// HistoryMessages is the most earlier turns ever read for context.
	HistoryMessages int
	Log             *slog.Logger
}

// Engine runs chats. It is safe for concurrent use.
type Engine struct {
	cfg Config
}

// New returns an engine; zero budgets take their defaults.
func New(cfg Config) *Engine {
	if cfg.ContextTokens == 0 {
		cfg.ContextTokens = 8000
	}
	if cfg.HistoryMessages == 0 {
		cfg.HistoryMessages = 50
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Engine{cfg: cfg}
}

// Request is one message to an assistant, in a new chat or an existing one.
type Request struct {
	Caller      ajans.Caller
	ChatID      int64 // 0 starts a new chat with AssistantID
	AssistantID int64
	Message     string
}

// Reply is the assistant's answer and what it cost.
type Reply struct {
	ChatID          int64
	Message         string
	RemainingCredit int64
	Usage           ajans.Usage
}

// Send delivers the message to the assistant and returns the reply. A call
// that fails anywhere costs nothing and saves nothing.
func (e *Engine) Send(ctx context.Context, req Request) (*Reply, error) {
	msg, err := CheckMessage(req.Message)
	if err != nil {
		return nil, err
	}
	var history []ajans.Message
	if req.ChatID != 0 {
		chat, err := e.cfg.Store.Chat(ctx, req.Caller.AppID, req.ChatID)
		if err != nil {
			return nil, err
		}
		req.AssistantID = chat.AssistantID
		if history, _, err = e.cfg.Store.Messages(ctx, chat.ID, 0, e.cfg.HistoryMessages); err != nil {
			return nil, err
		}
	}
	asst, ok := e.cfg.Team.Get(req.AssistantID)
	if !ok {
		return nil, ajans.Errorf(ajans.ENOTFOUND,
			"There is no assistant %d. List the team with ai-team-list.", req.AssistantID)
	}
	provider, model, err := e.cfg.Models.Resolve(asst.Model)
	if err != nil {
		return nil, err
	}

	// Hold what the longest reply would cost, or what the app has.
	msgTokens := e.cfg.Count(msg)
	least, want := e.cfg.Rules.Quote(msgTokens)
	hold, err := e.cfg.Store.PlaceHold(ctx, req.Caller.AppID, least, want, e.cfg.Rules.HoldTTL)
	if err != nil {
		return nil, err
	}
	resp, err := provider.Complete(ctx, llm.Request{
		Model:     model,
		Messages:  e.prompt(asst, history, msg),
		MaxTokens: e.cfg.Rules.OutputCap(hold.Amount, msgTokens),
	})
	if err == nil {
		err = ctx.Err() // cut off (by the client or by shutdown) as the answer came
	}
	if err != nil {
		e.release(ctx, hold)
		return nil, err
	}

	turn := e.turn(req, hold, model, msg, msgTokens, resp)
	if err := e.cfg.Store.SaveTurn(context.WithoutCancel(ctx), turn); err != nil {
		e.release(ctx, hold)
		return nil, err
	}
	return &Reply{ChatID: turn.ChatID, Message: turn.Reply.Content,
		RemainingCredit: turn.RemainingCredit, Usage: turn.Usage}, nil
}

// release gives a hold back in full, even when ctx is cancelled.
func (e *Engine) release(ctx context.Context, h ajans.Hold) {
	if err := e.cfg.Store.ReleaseHold(context.WithoutCancel(ctx), h); err != nil {
		// The sweeper releases it when it expires.
		e.cfg.Log.Error("release hold", "hold", h.ID, "err", err)
	}
}

func (e *Engine) turn(req Request, hold ajans.Hold, model, msg string, msgTokens int,
	resp *llm.Response) *ajans.Turn {
	respTokens := resp.CompletionTokens
	if respTokens == 0 && resp.Content != "" {
		respTokens = e.cfg.Count(resp.Content) // the provider reported no usage
	}
	return &ajans.Turn{
		Hold:        hold,
		ChatID:      req.ChatID,
		AssistantID: req.AssistantID,
		Title:       Title(msg),
		Model:       model,
		User:        ajans.Message{Role: ajans.RoleUser, Content: msg, Tokens: msgTokens},
		Reply:       ajans.Message{Role: ajans.RoleAssistant, Content: resp.Content, Tokens: respTokens},
		Usage: ajans.Usage{
			MessageTokens:  msgTokens,
			ResponseTokens: respTokens,
			Credits:        billing.Charge(hold.Amount, msgTokens, respTokens),
		},
	}
}

// prompt is the system prompt, the newest earlier turns that fit the context
// budget, oldest first, and the new message.
func (e *Engine) prompt(a *ajans.Assistant, history []ajans.Message, msg string) []llm.Message {
	first, budget := len(history), e.cfg.ContextTokens
	for first > 0 && history[first-1].Tokens <= budget {
		first--
		budget -= history[first].Tokens
	}
	out := make([]llm.Message, 0, len(history)-first+2)
	if a.SystemPrompt != "" {
		out = append(out, llm.Message{Role: llm.RoleSystem, Content: a.SystemPrompt})
	}
	for _, m := range history[first:] {
		out = append(out, llm.Message{Role: m.Role, Content: m.Content})
	}
	return append(out, llm.Message{Role: llm.RoleUser, Content: msg})
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
