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
	Tokens    int // tokens of Content, counted once when the turn is saved
	CreatedAt time.Time
}

// Usage is what one metered call consumed and cost.
type Usage struct {
	MessageTokens  int
	ResponseTokens int
	Credits        int64
}
