package billing

import (
	"testing"

	"github.com/ajans/ajans"
)

func TestCreditsMatchesTheSpecTable(t *testing.T) {
	tests := []struct {
		name          string
		message, resp int
		want          int64
	}{
		{"short message", 100, 500, 6},
		{"medium message", 200, 1000, 12},
		{"long message", 500, 2000, 25},
		{"one token", 1, 0, 1},
		{"exactly a hundred", 60, 40, 1},
		{"one over a hundred", 60, 41, 2},
		{"nothing", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Credits(tt.message, tt.resp); got != tt.want {
				t.Errorf("Credits(%d, %d) = %d, want %d", tt.message, tt.resp, got, tt.want)
			}
		})
	}
}

func TestQuoteAndOutputCap(t *testing.T) {
	r := DefaultRules()
	min, want := r.Quote(150)
	if min != 2 || want != 43 { // (150+16)/100 → 2; (150+4096)/100 → 43
		t.Fatalf("Quote(150) = %d, %d; want 2, 43", min, want)
	}
	tests := []struct {
		name    string
		held    int64
		message int
		want    int
	}{
		{"full hold", 43, 150, 4096},
		{"small hold", 2, 150, 50},
		{"hold below the message", 1, 150, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.OutputCap(tt.held, tt.message); got != tt.want {
				t.Errorf("OutputCap(%d, %d) = %d, want %d", tt.held, tt.message, got, tt.want)
			}
		})
	}
	// Whatever the cap, the charge of a reply within it fits the hold.
	for held := int64(1); held < 60; held++ {
		cap := r.OutputCap(held, 150)
		if c := Credits(150, cap); cap > 0 && c > held {
			t.Fatalf("held %d: a %d-token reply costs %d", held, cap, c)
		}
	}
	if got := Charge(5, 1000, 1000); got != 5 {
		t.Fatalf("Charge beyond the hold = %d, want 5", got)
	}
}

func TestStatus(t *testing.T) {
	r := DefaultRules()
	for _, tt := range []struct {
		balance   int64
		low, none bool
	}{{0, true, true}, {1, true, false}, {999, true, false}, {1000, false, false}} {
		low, none := r.Status(tt.balance)
		if low != tt.low || none != tt.none {
			t.Errorf("Status(%d) = %v, %v; want %v, %v", tt.balance, low, none, tt.low, tt.none)
		}
	}
}

func TestCheckTransfer(t *testing.T) {
	for _, amount := range []int64{999, 0, -1000} {
		if ajans.ErrorCode(CheckTransfer(amount)) != ajans.EINVALID {
			t.Errorf("CheckTransfer(%d) accepted", amount)
		}
	}
	if err := CheckTransfer(1000); err != nil {
		t.Errorf("CheckTransfer(1000) = %v", err)
	}
}
