package billing_test

import (
	"context"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
)

func TestGrantPackage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser(t, db, "a@example.com", "free")
		tests := []struct {
			name     string
			credits  int64
			ref      string
			granted  bool
			wantCode string
		}{
			{"first delivery", 10_000, "pay_123", true, ""},
			{"webhook retried", 10_000, "pay_123", false, ""},
			{"another payment", 5000, "pay_124", true, ""},
			{"no reference", 5000, " ", false, ajans.EINVALID},
			{"zero", 0, "pay_125", false, ajans.EINVALID},
			{"too many", billing.MaxPackage + 1, "pay_126", false, ajans.EINVALID},
		}
		for _, tt := range tests {
			_, granted, err := billing.GrantPackage(ctx, db, u.ID, tt.credits, tt.ref, "test")
			if ajans.ErrorCode(err) != tt.wantCode || granted != tt.granted {
				t.Fatalf("%s: granted %v, err %v", tt.name, granted, err)
			}
		}
		if got := account(t, db, u.ID); got.Balance != 15_000 || got.PlanCredit != 0 {
			t.Fatalf("balance %d, plan credit %d; want 15000, 0", got.Balance, got.PlanCredit)
		}
	})
}
