package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/store/storetest"
)

// TestConcurrentMessagesNeverOverspend sends many messages at once to an
// app that can pay for only some of them: what is charged equals the
// balance's drop, the balance never goes below zero, the rest get 402, and
// nothing is charged twice.
func TestConcurrentMessagesNeverOverspend(t *testing.T) {
	storetest.EachKind(t, func(t *testing.T, kind string) {
		rules := billing.DefaultRules()
		rules.MaxOutputTokens = 300 // a hold of 4 credits for a short message
		e := newEnv(t, options{kind: kind, credits: 20, rules: rules, mockDelay: 100 * time.Millisecond})
		chatID := fmt.Sprint(e.newChat("16", "başla").ChatID)
		start := e.balance()

		const n = 40
		var wg sync.WaitGroup
		var mu sync.Mutex
		var charged int64
		ok, refused := 0, 0
		seen := map[string]bool{}
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				msg := fmt.Sprintf("mesaj %d", i)
				r := e.postForm("/api/v2/sendMessage/"+e.token, map[string]string{
					"chat_id": chatID, "message": msg})
				mu.Lock()
				defer mu.Unlock()
				switch r.status {
				case http.StatusOK:
					var rep chatReply
					r.decode(t, &rep)
					if rep.Message != msg || seen[msg] || rep.RemainingCredit < 0 {
						t.Errorf("reply %+v to %q", rep, msg)
					}
					seen[msg] = true
					charged += rep.Usage.Credits
					ok++
				case http.StatusPaymentRequired:
					if r.code() != ajans.ECREDIT {
						t.Errorf("402 with code %q", r.code())
					}
					refused++
				default:
					t.Errorf("status %d: %s", r.status, r.body)
				}
			}()
		}
		wg.Wait()

		end := e.balance() // also checks the ledger sums to the balance
		if ok == 0 || refused == 0 {
			t.Fatalf("%d answered, %d refused; want both", ok, refused)
		}
		if end < 0 || start-end != charged {
			t.Fatalf("balance %d → %d, but replies charged %d", start, end, charged)
		}
		var history struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		e.call(http.MethodPost, "/api/v2/resumeChat/"+chatID+"/"+e.token, "", nil).decode(t, &history)
		if got := len(history.Messages); got != 2+2*ok {
			t.Fatalf("%d messages saved for %d answered calls", got, ok)
		}
		t.Logf("%s: %d answered, %d refused with 402, %d credits charged, balance %d → %d",
			kind, ok, refused, charged, start, end)
	})
}

// TestOutputIsCappedToTheHold gives an app too few credits for a long
// reply: the model is asked for no more than the hold pays, and the charge
// never exceeds the balance.
func TestOutputIsCappedToTheHold(t *testing.T) {
	e := newEnv(t, options{credits: 2})
	long := strings.TrimSpace(strings.Repeat(" a", 150)) // 150 tokens; the echo is as long
	rep := e.newChat("16", long)
	if rep.Usage.ResponseTokens > 200-rep.Usage.MessageTokens || rep.Usage.Credits != 2 {
		t.Fatalf("usage %+v for a 2-credit hold", rep.Usage)
	}
	if rep.RemainingCredit != 0 || e.balance() != 0 {
		t.Fatalf("remaining %d, balance %d", rep.RemainingCredit, e.balance())
	}
	r := e.postJSON("/api/v2/newChat/16/"+e.token, map[string]string{"message": "bir daha"})
	if r.status != http.StatusPaymentRequired {
		t.Fatalf("empty app: %d %s", r.status, r.body)
	}
	var credit struct {
		NoCredit  bool `json:"no_credit"`
		LowCredit bool `json:"low_credit"`
	}
	e.get("/api/v2/credit/"+e.token).decode(t, &credit)
	if !credit.NoCredit || !credit.LowCredit {
		t.Fatalf("credit flags %+v for an empty app", credit)
	}
}

// TestSpecCostTable checks the charge for the spec's three message sizes,
// through the real API and the mock model's usage report.
func TestSpecCostTable(t *testing.T) {
	e := newEnv(t, options{credits: 10_000})
	for _, tokens := range []int{100, 200, 500} {
		msg := strings.TrimSpace(strings.Repeat(" a", tokens))
		rep := e.newChat("16", msg)
		want := (int64(rep.Usage.MessageTokens+rep.Usage.ResponseTokens) + 99) / 100
		if rep.Usage.Credits != want {
			t.Errorf("%d-token message: usage %+v, want %d credits", tokens, rep.Usage, want)
		}
	}
}
