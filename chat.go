package ajans

import "time"

// Message roles.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Chat is a conversation between one app and one assistant.
type Chat struct {
	ID           int64
	AppID        int64
	AssistantID  int64
	Title        string
	MessageCount int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Message is one turn of a chat.
type Message struct {
	ID        int64
	ChatID    int64
	Role      string
	Content   string
	Tokens    int // tokens of what the model saw (Content and attachments' text), counted once
	CreatedAt time.Time
	Files     []File // attachments of a user's message, artifacts of a reply
}

// Usage is what one metered call consumed and cost.
type Usage struct {
	MessageTokens  int
	ResponseTokens int
	Credits        int64
}

// Hold is credits of an app reserved for one model call, until the call is
// settled or the hold released.
type Hold struct {
	ID      int64
	AppID   int64
	Amount  int64
	Balance int64 // the app's balance after the hold was placed
}

// Turn is one settled exchange: the user's message, the model's reply and
// what it cost, paid from a hold.
type Turn struct {
	Hold        Hold
	ChatID      int64 // 0 starts a new chat
	AssistantID int64
	Title       string // the title of a new chat
	Model       string
	User        Message
	Reply       Message
	Usage       Usage // Usage.Credits is at most Hold.Amount

	RemainingCredit int64 // the app's balance once the turn is settled
}
