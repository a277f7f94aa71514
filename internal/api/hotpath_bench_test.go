package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/chat"
	"github.com/ajans/ajans/internal/ratelimit"
	"github.com/ajans/ajans/internal/store/storetest"
)

// The pieces of the API's own work on every call, each alone: the rate
// limit decision, authentication, reading the fields and writing the JSON
// reply. BenchmarkSendMessage in sendmessage_bench_test.go measures them
// together.

// sinkWriter is a ResponseWriter that keeps its header and drops the body,
// so that a benchmark measures the handler rather than a recorder.
type sinkWriter struct{ h http.Header }

func (w *sinkWriter) Header() http.Header         { return w.h }
func (w *sinkWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *sinkWriter) WriteHeader(int)             {}

// BenchmarkRateLimit measures the rate-limit decision of one call: the
// plan's limit, the in-memory GCRA and the X-RateLimit headers, over many
// apps so that none is refused.
func BenchmarkRateLimit(b *testing.B) {
	s := New(Config{Limiter: ratelimit.NewMemory(1<<20, nil), Plans: ajans.DefaultPlans()})
	w := &sinkWriter{h: http.Header{}}
	r := httptest.NewRequest(http.MethodPost, "/api/v2/sendMessage/x", nil)
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		c := ajans.Caller{AppID: i % 100_000, Plan: "business"}
		if err := s.rateLimit(w, r, c); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAuthenticate measures token authentication as every call does
// it: the check on failed attempts from the address, the token's shape,
// its hash, the lookup in the database and the rate limit.
func BenchmarkAuthenticate(b *testing.B) {
	for _, kind := range storetest.Kinds {
		b.Run(kind, func(b *testing.B) {
			db := storetest.Open(b, kind)
			ctx := context.Background()
			u := &ajans.User{Email: "bench@example.com", Plan: "business"}
			if err := db.CreateUser(ctx, u); err != nil {
				b.Fatal(err)
			}
			token := ajans.MustNewToken()
			if _, err := db.CreateApp(ctx, u.ID, "bench", ajans.HashToken(token),
				ajans.ShowToken(token)); err != nil {
				b.Fatal(err)
			}
			limit := 1 << 30 // the plan's limit is not what is measured here
			plans := []ajans.Plan{{Name: "business", RatePerMinute: limit,
				Features: []string{ajans.FeatureAPIAccess}}}
			s := New(Config{Store: db, Limiter: ratelimit.NewMemory(1<<20, nil), Plans: plans})
			w := &sinkWriter{h: http.Header{}}
			r := httptest.NewRequest(http.MethodPost, "/api/v2/sendMessage/"+token, nil)
			r.SetPathValue("token", token)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.authenticate(w, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchText is a message of the size the load generator sends.
const benchText = "Python ile REST API yaz: kayıt, giriş ve profil uçları olsun; " +
	"PostgreSQL kullan ve testleri de ekle."

// BenchmarkReadFields measures reading chat_id and message from a
// sendMessage body in each form the API takes.
func BenchmarkReadFields(b *testing.B) {
	form := url.Values{"chat_id": {"12345"}, "message": {benchText}}.Encode()
	multi := "--B\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n12345\r\n" +
		"--B\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n" + benchText +
		"\r\n--B--\r\n"
	bodies := []struct{ name, ctype, body string }{
		{"multipart", "multipart/form-data; boundary=B", multi},
		{"urlencoded", "application/x-www-form-urlencoded", form},
		{"json", "application/json", `{"chat_id": 12345, "message": "` + benchText + `"}`},
	}
	for _, tt := range bodies {
		b.Run(tt.name, func(b *testing.B) {
			w := &sinkWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodPost, "/api/v2/sendMessage/x",
					strings.NewReader(tt.body))
				r.Header.Set("Content-Type", tt.ctype)
				f, err := readFields(w, r)
				if err != nil || f["message"] != benchText {
					b.Fatalf("readFields = %v, %v", f, err)
				}
			}
		})
	}
}

// BenchmarkChatReply measures encoding and writing the JSON reply of
// sendMessage.
func BenchmarkChatReply(b *testing.B) {
	rep := &chat.Reply{ChatID: 12345, Message: benchText, RemainingCredit: 498_765,
		Usage: ajans.Usage{MessageTokens: 31, ResponseTokens: 31, Credits: 1}}
	w := &sinkWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		writeChatReply(w, rep)
	}
}
