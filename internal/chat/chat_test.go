package chat

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm"
)

func TestPromptKeepsTheNewestTurnsWithinBudget(t *testing.T) {
	e := New(Config{ContextTokens: 10})
	history := []ajans.Message{
		{Role: ajans.RoleUser, Content: "old question", Tokens: 6},
		{Role: ajans.RoleAssistant, Content: "old answer", Tokens: 5},
		{Role: ajans.RoleUser, Content: "recent question", Tokens: 4},
		{Role: ajans.RoleAssistant, Content: "recent answer", Tokens: 5},
	}
	a := &ajans.Assistant{SystemPrompt: "Sen bir yazılımcısın."}
	got := e.prompt(&call{asst: a, history: history, in: &input{text: "yeni"}})
	want := []llm.Message{
		{Role: llm.RoleSystem, Content: "Sen bir yazılımcısın."},
		{Role: llm.RoleUser, Content: "recent question"},
		{Role: llm.RoleAssistant, Content: "recent answer"},
		{Role: llm.RoleUser, Content: "yeni"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("prompt (-want +got):\n%s", diff)
	}
}

func TestCheckMessage(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", "Merhaba", "Merhaba", true},
		{"trimmed", "  Merhaba \n", "Merhaba", true},
		{"empty", "", "", false},
		{"blank", " \t\n", "", false},
		{"too long", strings.Repeat("ş", MaxMessageBytes/2+1), "", false},
		{"not UTF-8", "a\xffb", "", false},
		{"at the maximum", strings.Repeat("a", MaxMessageBytes), strings.Repeat("a", MaxMessageBytes), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckMessage(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("CheckMessage = %.20q, %v", got, err)
			}
			if err != nil && ajans.ErrorCode(err) != ajans.EINVALID {
				t.Fatalf("code %q", ajans.ErrorCode(err))
			}
		})
	}
}

func TestTitle(t *testing.T) {
	if got := Title("İlk satır\nikinci"); got != "İlk satır" {
		t.Errorf("Title = %q", got)
	}
	long := strings.Repeat("ğ", 100)
	if got := Title(long); got != strings.Repeat("ğ", 79)+"…" {
		t.Errorf("Title of a long line = %q", got)
	}
}
