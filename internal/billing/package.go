package billing

import (
	"context"
	"strings"

	"github.com/ajans/ajans"
)

// MaxPackage is the most credits one package may hold, a guard against a
// slip of the keyboard.
const MaxPackage = 100_000_000

// Package is a top-up an operator sells: credits that never expire.
type Package struct {
	Name    string
	Credits int64
}

// DefaultPackages returns the package sizes the dashboard offers an
// administrator; any other amount may be granted too.
func DefaultPackages() []Package {
	return []Package{{"10k", 10_000}, {"50k", 50_000}, {"250k", 250_000}, {"1m", 1_000_000}}
}

// PackageGranter adds package credits to an account; the store implements it.
type PackageGranter interface {
	GrantPackage(ctx context.Context, userID, credits int64, note,
		idemKey string) (balance int64, granted bool, err error)
}

// GrantPackage adds a package of credits to the user's account. ref names
// the purchase (a payment provider's payment id, or a key the admin form
// makes): a second grant with the same ref changes nothing and reports
// granted false, so a webhook delivered twice pays once.
func GrantPackage(ctx context.Context, s PackageGranter, userID, credits int64, ref,
	note string) (balance int64, granted bool, err error) {
	ref = strings.TrimSpace(ref)
	switch {
	case credits < 1 || credits > MaxPackage:
		return 0, false, ajans.Errorf(ajans.EINVALID,
			"A package holds 1 to %d credits; %d is outside that.", MaxPackage, credits)
	case ref == "" || len(ref) > 200:
		return 0, false, ajans.Errorf(ajans.EINVALID,
			"A package grant needs a reference of 1 to 200 characters, such as the payment id.")
	}
	return s.GrantPackage(ctx, userID, credits, note, "package:"+ref)
}
