// Package billing holds the rules of ajans' credits: what a call costs, how
// much to hold before a model call, what a balance means to the caller, and
// the sweeper that releases holds left behind. The SQL stays in the store.
package billing

import (
	"context"
	"log/slog"
	"time"

	"github.com/ajans/ajans"
)

// TokensPerCredit is how many message and response tokens one credit pays.
const TokensPerCredit = 100

// ImageCredits is the fixed cost of one generated image.
const ImageCredits = 1

// MinTransfer is the fewest credits a user may move from the account to an app.
const MinTransfer = 1000

// Credits returns what a call costs: one credit per started hundred of
// message and response tokens together. The spec's table: 100 + 500 tokens
// cost 6 credits, 200 + 1000 cost 12, 500 + 2000 cost 25.
func Credits(messageTokens, responseTokens int) int64 {
	return ceilDiv(int64(messageTokens+responseTokens), TokensPerCredit)
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// Rules are the settings billing decisions depend on.
type Rules struct {
	LowCredit       int64         // below this a balance is low (default 1000)
	MaxOutputTokens int           // the longest reply a hold pays for (default 4096)
	MinReplyTokens  int           // a call must afford at least this much reply (default 16)
	HoldTTL         time.Duration // an open hold older than this is released (default 15 min)
}

// DefaultRules returns the rules ajans runs with unless configured otherwise.
func DefaultRules() Rules {
	return Rules{LowCredit: 1000, MaxOutputTokens: 4096, MinReplyTokens: 16, HoldTTL: 15 * time.Minute}
}

// Quote returns the credits to hold for a message of messageTokens: at
// least min (the message and the shortest useful reply), ideally want (the
// message and the longest reply).
func (r Rules) Quote(messageTokens int) (min, want int64) {
	return Credits(messageTokens, r.MinReplyTokens), Credits(messageTokens, r.MaxOutputTokens)
}

// OutputCap returns the most reply tokens a hold of held credits pays for
// after a message of messageTokens, never more than MaxOutputTokens.
func (r Rules) OutputCap(held int64, messageTokens int) int {
	room := held*TokensPerCredit - int64(messageTokens)
	return int(max(0, min(room, int64(r.MaxOutputTokens))))
}

// Charge returns what a settled call costs: the price of its tokens, never
// more than the hold paid for.
func Charge(held int64, messageTokens, responseTokens int) int64 {
	return min(held, Credits(messageTokens, responseTokens))
}

// Status tells the caller what a balance means: low under the threshold,
// none when not even the cheapest call (one credit) can be paid.
func (r Rules) Status(balance int64) (low, none bool) {
	return balance < r.LowCredit, balance < 1
}

// CheckTransfer returns an EINVALID error when amount may not be moved from
// an account to an app.
func CheckTransfer(amount int64) error {
	if amount < MinTransfer {
		return ajans.Errorf(ajans.EINVALID,
			"Transfer at least %d credits at a time; %d is too few.", MinTransfer, amount)
	}
	return nil
}

// HoldReleaser releases expired holds; the store implements it.
type HoldReleaser interface {
	ReleaseExpired(ctx context.Context) (int, error)
}

// Sweep releases expired holds every interval until ctx ends. Holds are left
// open only by a crash or a lost request; this gives their credits back.
func Sweep(ctx context.Context, s HoldReleaser, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.ReleaseExpired(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("release expired holds", "err", err)
		case n > 0:
			log.Info("released expired holds", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
