package tokens_test

import (
	"testing"

	"github.com/ajans/ajans/internal/tokens"
)

// BenchmarkCountMessage measures counting the tokens of a typical short
// chat message, which every newChat and sendMessage call does once before
// it holds credits.
func BenchmarkCountMessage(b *testing.B) {
	msg := "Python ile REST API yaz: kayıt, giriş ve profil uçları olsun; " +
		"PostgreSQL kullan ve testleri de ekle."
	tokens.Count(msg) // load the codec outside the timer
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		tokens.Count(msg)
	}
}
