package api_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm/mock"
)

// TestUploadOverTheCapIs413 streams a file of 30 MB and one byte: the
// answer is 413, nothing is stored or charged, and the server's heap grows
// by far less than the upload while it streams.
func TestUploadOverTheCapIs413(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	before := e.balance()

	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	peak := sampleHeap(t)
	r := e.streamUpload(ajans.MaxFileBytes + 1)
	maxInuse := peak()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	if r.status != http.StatusRequestEntityTooLarge || r.code() != ajans.ETOOLARGE ||
		!strings.Contains(string(r.body), `büyük.txt\" is over 30 MB`) {
		t.Fatalf("got %d %s, want 413", r.status, r.body)
	}
	if e.balance() != before || e.chatCount() != 0 || len(e.blobs()) != 0 || e.spooled() != 0 {
		t.Fatalf("something changed: balance %d, chats %d, blobs %d, spooled %d",
			e.balance(), e.chatCount(), len(e.blobs()), e.spooled())
	}
	grew := int64(maxInuse) - int64(base.HeapInuse)
	allocated := after.TotalAlloc - base.TotalAlloc
	t.Logf("upload %d bytes: heap in use grew by at most %.1f MB (peak %.1f MB); "+
		"%.1f MB allocated in all, client included", ajans.MaxFileBytes+1,
		float64(grew)/(1<<20), float64(maxInuse)/(1<<20), float64(allocated)/(1<<20))
	if grew > ajans.MaxFileBytes/4 {
		t.Fatalf("the heap grew by %d bytes while a %d-byte file streamed", grew,
			ajans.MaxFileBytes+1)
	}
}

// sampleHeap samples HeapInuse every few milliseconds until the returned
// function is called, which returns the highest value seen.
func sampleHeap(tb testing.TB) func() uint64 {
	tb.Helper()
	var mu sync.Mutex
	var peak uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// zipOf returns a zip archive of the named parts.
func zipOf(tb testing.TB, parts map[string][]byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range parts {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes()
}

// scannedPDF returns a PDF whose one page is a picture and holds no text.
func scannedPDF(tb testing.TB) []byte {
	tb.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"},
		bytes.NewReader(mock.Picture("taranmış sayfa")))
	p.ImageOptions("scan", 10, 10, 100, 100, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestBadFilesChangeNothing sends each kind of bad file: each gets a clear
// error, and no credit moves, no chat appears and no file is kept.
func TestBadFilesChangeNothing(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	newChat := "/api/v2/newChat/16/" + e.token
	msg := map[string]string{"message": "Bak"}
	bomb := zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"),
		"word/document.xml": bytes.Repeat([]byte{'0'}, 60<<20)})
	brokenPDF := append([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n"),
		bytes.Repeat([]byte("endobj xref trailer << /Root 1 0 R /Size -5 >> "), 50)...)
	many := make([]upload, 11)
	for i := range many {
		many[i] = upload{name: fmt.Sprintf("not-%d.txt", i), data: []byte("not")}
	}
	soloToken, _ := e.newApp("solo@example.com", "solo", 5000)

	tests := []struct {
		name   string
		path   string
		files  []upload
		status int
		want   string // in the message
	}{
		{"empty file", newChat, []upload{{name: "boş.txt"}}, 400, "is empty"},
		{"name is a path", newChat, []upload{{name: "../../etc/passwd", data: []byte("x")}},
			400, "is a path"},
		{"name is a Windows path", newChat, []upload{{name: `C:\Users\a.txt`, data: []byte("x")}},
			400, "is a path"},
		{"name has a control character", newChat, []upload{{data: []byte("x"),
			param: `filename*=UTF-8''a%01b.txt`}}, 400, "control characters"},
		{"raw control character in the header", newChat,
			[]upload{{name: "a\x01b.txt", data: []byte("x")}}, 400, "malformed"},
		{"name turns its direction", newChat,
			[]upload{{name: "resim\u202Egnp.exe", data: []byte("x")}}, 400, "control characters"},
		{"text posing as a PDF", newChat, []upload{{name: "rapor.pdf", data: []byte("merhaba")}},
			400, "not what its name says"},
		{"PDF posing as text", newChat, []upload{{name: "notlar.txt", data: brokenPDF}},
			400, "not what its name says"},
		{"program", newChat, []upload{{name: "kur.exe", data: []byte("MZ\x90\x00\x03\x00\x00\x00")}},
			400, "cannot be read"},
		{"old Word file", newChat, []upload{{name: "eski.doc", data: []byte("merhaba")}},
			400, "old binary Office format"},
		{"zip bomb posing as docx", newChat, []upload{{name: "rapor.docx", data: bomb}},
			400, "zip bomb"},
		{"PDF that breaks parsers", newChat, []upload{{name: "bozuk.pdf", data: brokenPDF}},
			400, "could not be read"},
		{"scanned PDF", newChat, []upload{{name: "tarama.pdf", data: scannedPDF(t)}},
			400, "scanned"},
		{"eleven files", newChat, many, 400, "10 files at most"},
		{"image to an assistant that cannot see", "/api/v2/newChat/1/" + e.token,
			[]upload{{name: "a.png", data: mock.Picture("a")}}, 400, "does not read images"},
		{"file in another field", newChat,
			[]upload{{field: "belge", name: "a.txt", data: []byte("x")}}, 400, "attachements"},
		{"plan without file upload", "/api/v2/newChat/16/" + soloToken,
			[]upload{{name: "a.txt", data: []byte("x")}}, 403, "file upload"},
	}
	before := e.balance()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postFiles(tt.path, msg, tt.files...)
			if r.status != tt.status || !strings.Contains(string(r.body), tt.want) {
				t.Fatalf("got %d %s; want %d with %q", r.status, r.body, tt.status, tt.want)
			}
			if e.balance() != before || e.chatCount() != 0 || len(e.blobs()) != 0 ||
				e.spooled() != 0 {
				t.Fatalf("something changed: balance %d, chats %d, blobs %d, spooled %d",
					e.balance(), e.chatCount(), len(e.blobs()), e.spooled())
			}
		})
	}
}
