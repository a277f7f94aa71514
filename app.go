package ajans

import "time"

// App is an API application owned by a user, with its own token and balance.
type App struct {
	ID          int64
	UserID      int64
	Name        string
	TokenPrefix string // the first characters of the token, safe to show
	Balance     int64
	CreatedAt   time.Time
	LastUsedAt  time.Time // zero when never used
}

// Caller is who an authenticated API request speaks for: the app, and the
// plan of the user who owns it.
type Caller struct {
	AppID  int64
	UserID int64
	Plan   string
}

// Call is one metered API call of an app, as usage reports show it.
type Call struct {
	ID             int64
	AppID          int64
	ChatID         int64
	AssistantID    int64
	Model          string
	MessageTokens  int
	ResponseTokens int
	Credits        int64
	CreatedAt      time.Time
}
