package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/chat"
)

// TestBadInputChangesNothing sends each kind of bad request and checks the
// answer's status and code, and that no credit moved and no chat appeared.
func TestBadInputChangesNothing(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	chatID := strconv.FormatInt(e.newChat("16", "ilk mesaj").ChatID, 10)
	otherToken, _ := e.newApp("other@example.com", "business", 5000)
	foreignChat := e.postJSON("/api/v2/newChat/16/"+otherToken, map[string]string{"message": "x"})
	var foreign chatReply
	foreignChat.decode(t, &foreign)

	newChat := "/api/v2/newChat/16/" + e.token
	send := "/api/v2/sendMessage/" + e.token
	jsonBody := func(s string) func() response {
		return func() response {
			return e.call(http.MethodPost, newChat, "application/json", strings.NewReader(s))
		}
	}
	tests := []struct {
		name   string
		do     func() response
		status int
		code   string
	}{
		{"missing message", jsonBody(`{}`), 400, ajans.EINVALID},
		{"empty message", jsonBody(`{"message": ""}`), 400, ajans.EINVALID},
		{"blank message", jsonBody(`{"message": "  \n\t "}`), 400, ajans.EINVALID},
		{"malformed JSON", jsonBody(`{"message": "x"`), 400, ajans.EINVALID},
		{"JSON array", jsonBody(`["message"]`), 400, ajans.EINVALID},
		{"message is an object", jsonBody(`{"message": {"a": 1}}`), 400, ajans.EINVALID},
		{"message over the maximum", func() response {
			return e.postJSON(newChat, map[string]string{
				"message": strings.Repeat("a", chat.MaxMessageBytes+1)})
		}, 400, ajans.EINVALID},
		{"body over a megabyte", jsonBody(`{"message": "` + strings.Repeat("ş", 600_000) + `"}`),
			413, ajans.ETOOLARGE},
		{"malformed multipart", func() response {
			return e.call(http.MethodPost, send, "multipart/form-data; boundary=xyz",
				strings.NewReader("--xyz\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n1"))
		}, 400, ajans.EINVALID},
		{"multipart without boundary", func() response {
			return e.call(http.MethodPost, send, "multipart/form-data", strings.NewReader("x"))
		}, 400, ajans.EINVALID},
		{"attachment where none is taken", func() response {
			return postFile(e, "/api/v2/resumeChat/"+chatID+"/"+e.token, chatID)
		}, 400, ajans.EINVALID},
		{"missing chat_id", func() response {
			return e.postForm(send, map[string]string{"message": "x"})
		}, 400, ajans.EINVALID},
		{"chat_id not a number", func() response {
			return e.postForm(send, map[string]string{"chat_id": "abc", "message": "x"})
		}, 400, ajans.EINVALID},
		{"chat_id a fraction", func() response {
			return e.postForm(send, map[string]string{"chat_id": "1.5", "message": "x"})
		}, 400, ajans.EINVALID},
		{"chat_id negative", func() response {
			return e.postForm(send, map[string]string{"chat_id": "-3", "message": "x"})
		}, 400, ajans.EINVALID},
		{"chat that does not exist", func() response {
			return e.postForm(send, map[string]string{"chat_id": "999999", "message": "x"})
		}, 404, ajans.ENOTFOUND},
		{"another app's chat", func() response {
			return e.postForm(send, map[string]string{
				"chat_id": strconv.FormatInt(foreign.ChatID, 10), "message": "x"})
		}, 404, ajans.ENOTFOUND},
		{"another app's history", func() response {
			return e.call(http.MethodPost, fmt.Sprintf("/api/v2/resumeChat/%d/%s",
				foreign.ChatID, e.token), "", nil)
		}, 404, ajans.ENOTFOUND},
		{"delete another app's chat", func() response {
			return e.call(http.MethodDelete, fmt.Sprintf("/api/v2/deleteChat/%d/%s",
				foreign.ChatID, e.token), "", nil)
		}, 404, ajans.ENOTFOUND},
		{"unknown assistant", func() response {
			return e.postJSON("/api/v2/newChat/999/"+e.token, map[string]string{"message": "x"})
		}, 404, ajans.ENOTFOUND},
		{"assistant id not a number", func() response {
			return e.postJSON("/api/v2/newChat/abc/"+e.token, map[string]string{"message": "x"})
		}, 400, ajans.EINVALID},
		{"view chats of unknown assistant", func() response {
			return e.get("/api/v2/view-chats/999/" + e.token)
		}, 404, ajans.ENOTFOUND},
		{"bad page size", func() response {
			return e.call(http.MethodPost, "/api/v2/resumeChat/"+chatID+"/"+e.token+"?limit=0", "", nil)
		}, 400, ajans.EINVALID},
		{"wrong method", func() response { return e.get(newChat) }, 405, ajans.EMETHOD},
		{"token of the wrong shape", func() response {
			return e.postJSON("/api/v2/newChat/16/short", map[string]string{"message": "x"})
		}, 401, ajans.EAUTH},
		{"unknown token", func() response {
			return e.postJSON("/api/v2/newChat/16/"+ajans.MustNewToken(), map[string]string{"message": "x"})
		}, 401, ajans.EAUTH},
	}
	before := e.balance()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.do()
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("got %d %s; want %d %s", r.status, r.body, tt.status, tt.code)
			}
			if got := e.balance(); got != before {
				t.Fatalf("balance moved from %d to %d", before, got)
			}
			if got := e.chatCount(); got != 1 {
				t.Fatalf("%d chats, want 1", got)
			}
		})
	}
	if r := e.get(newChat); r.header.Get("Allow") != "POST" {
		t.Errorf("405 Allow header = %q", r.header.Get("Allow"))
	}
}

func postFile(e *env, path, chatID string) response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("chat_id", chatID)
	mw.WriteField("message", "bak")
	fw, _ := mw.CreateFormFile("attachements", "notlar.txt")
	fw.Write([]byte("merhaba"))
	mw.Close()
	return e.call(http.MethodPost, path, mw.FormDataContentType(), &buf)
}

func TestPlansWithoutAPIAccess(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	for _, plan := range []string{"free", "starter"} {
		t.Run(plan, func(t *testing.T) {
			token, _ := e.newApp(plan+"@example.com", plan, 0)
			r := e.get("/api/v2/credit/" + token)
			if r.status != http.StatusForbidden || r.code() != ajans.EFORBIDDEN {
				t.Fatalf("%s plan: %d %s", plan, r.status, r.body)
			}
		})
	}
	// The token is checked before the plan: a bad token is 401 whatever it is.
	if r := e.get("/api/v2/credit/" + ajans.MustNewToken()); r.status != http.StatusUnauthorized {
		t.Fatalf("bad token: %d", r.status)
	}
}

func TestUnknownEndpointIsJSON(t *testing.T) {
	e := newEnv(t, options{})
	resp, err := http.Get(e.url + "/api/v2/nothing/" + e.token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("unknown endpoint: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
