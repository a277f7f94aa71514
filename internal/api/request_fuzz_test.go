package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ajans/ajans"
)

// FuzzReadFields feeds arbitrary bodies under each content type to the
// request parser: it never panics, and every failure is the caller's (4xx).
func FuzzReadFields(f *testing.F) {
	f.Add("application/json", `{"message": "Merhaba", "chat_id": 12}`)
	f.Add("application/json", `{"message": null}`)
	f.Add("application/x-www-form-urlencoded", "chat_id=1&message=%C3%A7ok+g%C3%BCzel")
	f.Add("multipart/form-data; boundary=b",
		"--b\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nselam\r\n--b--\r\n")
	f.Add("multipart/form-data; boundary=b",
		"--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\"\r\n\r\nx\r\n--b--\r\n")
	f.Add("", "{")
	f.Add("text/plain; charset=\"", "%zz")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		r := httptest.NewRequest(http.MethodPost, "/api/v2/sendMessage/x?limit=3", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		fields, err := readFields(httptest.NewRecorder(), r)
		if err != nil {
			if status := StatusOf(ajans.ErrorCode(err)); status < 400 || status > 499 {
				t.Fatalf("error %v maps to %d", err, status)
			}
			return
		}
		if fields["limit"] == "" && !strings.Contains(body, "limit") {
			t.Fatalf("the query string was lost: %v", fields)
		}
		if _, err := id("chat_id", fields["chat_id"]); err != nil && ajans.ErrorCode(err) != ajans.EINVALID {
			t.Fatalf("id error %v", err)
		}
	})
}
