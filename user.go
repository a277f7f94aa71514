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

	// PlanCredit is the part of Balance that came from the plan's allowance
	// for the current cycle; it expires at CycleEnd. The rest of Balance is
	// purchased package credit, which never expires.
	PlanCredit int64
	CycleStart time.Time // the current billing cycle; zero before the first
	CycleEnd   time.Time
}

// PackageCredit returns the part of the balance that never expires.
func (u *User) PackageCredit() int64 { return u.Balance - min(u.PlanCredit, u.Balance) }
