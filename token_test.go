package ajans

import (
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	a, b := MustNewToken(), MustNewToken()
	if a == b {
		t.Fatal("two tokens are equal")
	}
	if !strings.HasPrefix(a, TokenPrefix) || len(a) != 47 || !ValidTokenShape(a) {
		t.Fatalf("token %q has the wrong shape", a)
	}
	if h := HashToken(a); len(h) != 64 || h == HashToken(b) || strings.Contains(h, a) {
		t.Fatalf("hash %q", h)
	}
	if s := ShowToken(a); s != a[:8]+"…" {
		t.Fatalf("ShowToken = %q", s)
	}
}

func TestValidTokenShape(t *testing.T) {
	tests := []struct {
		name  string
		token string
		want  bool
	}{
		{"ours", "ajs_" + strings.Repeat("A", 43), true},
		{"short", strings.Repeat("a", 31), false},
		{"long", strings.Repeat("a", 129), false},
		{"slash", strings.Repeat("a", 40) + "/x", false},
		{"space", strings.Repeat("a", 40) + " x", false},
		{"turkish", strings.Repeat("a", 40) + "ş", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidTokenShape(tt.token); got != tt.want {
				t.Errorf("ValidTokenShape(%q) = %v", tt.token, got)
			}
		})
	}
}
