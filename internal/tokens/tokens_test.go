package tokens_test

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/ajans/ajans/internal/tokens"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"english", "Hello, world!", 4},
		{"turkish", "Merhaba dünya", 3},
		{"turkish letters", "çğıİöşü", 6},
		{"whitespace", "  ", 1},
		{"emoji split over bytes", "🦜🦜", 6},
		{"DEL counts", "a\x7fb", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokens.Count(tt.in); got != tt.want {
				t.Errorf("Count(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestCountGrowsWithText(t *testing.T) {
	one := tokens.Count("İstanbul'da güzel bir gün.")
	two := tokens.Count(strings.Repeat("İstanbul'da güzel bir gün. ", 10))
	if one <= 0 || two < 5*one {
		t.Errorf("Count: one sentence %d tokens, ten sentences %d", one, two)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"empty", "", 5, ""},
		{"zero max", "Merhaba dünya", 0, ""},
		{"negative max", "Merhaba dünya", -1, ""},
		{"fits", "Merhaba dünya", 3, "Merhaba dünya"},
		{"fits with room", "Merhaba dünya", 100, "Merhaba dünya"},
		{"cut", "Merhaba dünya", 2, "Merhaba"},
		{"turkish letters", "çğıİöşü", 3, "çğıİ"},
		{"sentence", "İstanbul'da güzel bir gün.", 5, "İstanbul'da güzel"},
		{"half an emoji is dropped", "🦜🦜", 4, "🦜"},
		{"no whole character fits", "🦜🦜", 2, ""},
		{"invalid byte becomes U+FFFD", "a\xffb", 2, "a\uFFFD"},
		{"DEL kept", "\x7fab\x7f", 2, "\x7fab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tokens.Truncate(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) = %q, not valid UTF-8", tt.in, tt.max, got)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	text := strings.Repeat("Yapay zekâ ekibimiz sorularınızı yanıtlar. ", 20)
	want := tokens.Count(text)

	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			if got := tokens.Count(text); got != want {
				errs <- "Count changed under concurrent use"
			}
			if got := tokens.Truncate(text, 10); tokens.Count(got) > 10 {
				errs <- "Truncate went over its cap under concurrent use"
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func FuzzCount(f *testing.F) {
	for _, s := range []string{"", "Merhaba dünya", "çğıİöşü", "🦜🦜", "a\xffb", "  \n\t x", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := tokens.Count(s)
		if n < 0 || (s != "" && n == 0) {
			t.Fatalf("Count(%q) = %d", s, n)
		}
		if !utf8.ValidString(s) {
			if got := tokens.Truncate(s, n); !utf8.ValidString(got) {
				t.Fatalf("Truncate(%q, %d) = %q, not valid UTF-8", s, n, got)
			}
			return
		}
		if got := tokens.Truncate(s, n); got != s {
			t.Fatalf("Truncate(%q, Count) = %q, want the whole text", s, got)
		}
		if n == 0 {
			return
		}
		short := tokens.Truncate(s, n-1)
		if !strings.HasPrefix(s, short) || len(short) >= len(s) {
			t.Fatalf("Truncate(%q, %d) = %q, not a shorter prefix", s, n-1, short)
		}
		if c := tokens.Count(short); c > n-1 {
			t.Fatalf("Truncate(%q, %d) = %q, which has %d tokens", s, n-1, short, c)
		}
	})
}

func BenchmarkCount(b *testing.B) {
	sentence := "Merhaba! Bugün İstanbul'da hava güzel; yarın için bir plan yapalım mı? "
	for _, size := range []struct {
		name   string
		tokens int
	}{{"100", 100}, {"2000", 2000}} {
		text := sentence
		for tokens.Count(text) < size.tokens {
			text += sentence
		}
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				tokens.Count(text)
			}
		})
	}
}
