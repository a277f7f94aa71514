package api_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ajans/ajans/internal/store/storetest"
)

// benchMessage is the message the benchmarks send: a short request in
// Turkish, as in the spec's examples.
const benchMessage = "Python ile REST API yaz: kayıt, giriş ve profil uçları olsun; " +
	"PostgreSQL kullan ve testleri de ekle."

// Chats of the benchmark take this many sendMessage calls each before
// fresh ones replace them, so the history sent as context stays at 1 to
// benchTurns earlier turns, as in `go run ./bench`.
const (
	benchChats = 8
	benchTurns = 4
)

// BenchmarkSendMessage measures one sendMessage call through real HTTP on
// each database, the mock model answering at once over HTTP: parsing,
// authentication, the rate limit, the history read, the hold, the model
// call, the settle and the JSON reply. The access log line is written (to
// nothing) as `serve` does at the default level; the mock model runs in the
// same process, so its work is in the figures too.
func BenchmarkSendMessage(b *testing.B) {
	for _, kind := range storetest.Kinds {
		b.Run(kind, func(b *testing.B) {
			e := newEnv(b, options{kind: kind, credits: 1 << 40})
			e.log.mu.Lock()
			e.log.w = io.Discard
			e.log.mu.Unlock()
			benchSend(b, e)
		})
	}
}

func benchSend(b *testing.B, e *env) {
	var chats []string
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%(benchChats*benchTurns) == 0 {
			b.StopTimer()
			chats = benchNewChats(e)
			b.StartTimer()
		}
		e.clock.advance(time.Second) // keep the app under its rate limit
		body, ctype := multipartFields(map[string]string{
			"chat_id": chats[i%benchChats], "message": benchMessage})
		resp, err := client.Post(e.url+"/api/v2/sendMessage/"+e.token, ctype, body)
		if err != nil {
			b.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("sendMessage: %d %s", resp.StatusCode, data)
		}
	}
}

// benchNewChats starts benchChats chats and returns their ids.
func benchNewChats(e *env) []string {
	chats := make([]string, benchChats)
	for i := range chats {
		e.clock.advance(time.Second)
		chats[i] = fmt.Sprint(e.newChat("16", benchMessage).ChatID)
	}
	return chats
}

// multipartFields encodes fields as a multipart body with a fixed boundary.
func multipartFields(fields map[string]string) (io.Reader, string) {
	const boundary = "ajans-bench-boundary"
	var sb strings.Builder
	for _, k := range []string{"chat_id", "message"} {
		fmt.Fprintf(&sb, "--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n",
			boundary, k, fields[k])
	}
	fmt.Fprintf(&sb, "--%s--\r\n", boundary)
	return strings.NewReader(sb.String()), "multipart/form-data; boundary=" + boundary
}
