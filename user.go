package ajans

import "time"

// User is a person with a login, an account balance and one plan.
type User struct {
	ID           int64
	Email        string
	PasswordHash string
	Plan         string
	IsAdmin      bool
	Balance      int64 // credits in the account, not yet moved to an app
	CreatedAt    time.Time
}
