package billing

import "testing"

// BenchmarkQuoteAndCharge measures the pricing decisions of one message:
// what to hold, the output cap the hold pays for, and the final charge.
func BenchmarkQuoteAndCharge(b *testing.B) {
	r := DefaultRules()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		_, want := r.Quote(31 + n&7)
		limit := r.OutputCap(want, 31)
		if Charge(want, 31, limit/100) <= 0 {
			b.Fatal("a message costs nothing")
		}
		n++
	}
}
