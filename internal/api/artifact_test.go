package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/extract"
	"github.com/ajans/ajans/internal/llm/mock"
)

// fetch GETs a file URL of a reply and checks the answer against the spec.
func (e *env) fetch(method, url string) response {
	e.t.Helper()
	return e.call(method, url, "", nil)
}

func TestImageChat(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	prompt := "Boğaz'da gün batımı, yağlı boya"
	r := e.postJSON("/api/v2/newChat/14/"+e.token, map[string]string{"message": prompt})
	rep := e.okReply(r)
	if !rep.IsImage || len(rep.Images) != 1 || rep.Message != rep.Images[0] ||
		!strings.HasSuffix(rep.Message, ".png") {
		t.Fatalf("reply %+v", rep)
	}
	if rep.Usage.Credits != 1 || rep.RemainingCredit != 4999 || e.balance() != 4999 {
		t.Fatalf("an image costs 1 credit: usage %+v, remaining %d", rep.Usage, rep.RemainingCredit)
	}

	img := e.fetch(http.MethodGet, "/api/image?fileName="+rep.Message)
	if img.status != 200 || img.header.Get("Content-Type") != "image/png" ||
		!strings.Contains(img.header.Get("Cache-Control"), "max-age") ||
		img.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("GET image: %d %v", img.status, img.header)
	}
	if _, err := png.Decode(bytes.NewReader(img.body)); err != nil {
		t.Fatalf("not a valid PNG: %v", err)
	}
	if !bytes.Equal(img.body, mock.Picture(prompt)) {
		t.Fatal("the image served is not the one the model made")
	}
	etag := img.header.Get("ETag")
	req, _ := http.NewRequest(http.MethodGet, e.url+"/api/image?fileName="+rep.Message, nil)
	req.Header.Set("If-None-Match", etag)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 304 {
		t.Fatalf("If-None-Match: %v %v", res, err)
	}

	// The image shows in the history, and goes with its chat.
	var history struct {
		Messages []struct {
			Content string       `json:"content"`
			Files   []fileReplyT `json:"files"`
		} `json:"messages"`
	}
	chatID := strconv.FormatInt(rep.ChatID, 10)
	e.get("/api/v2/resumeChat/"+chatID+"/"+e.token).decode(t, &history)
	if f := history.Messages[1].Files; len(f) != 1 || f[0].URL != "/api/image?fileName="+rep.Message {
		t.Fatalf("history files %+v", history.Messages[1].Files)
	}
	e.call(http.MethodDelete, "/api/v2/deleteChat/"+chatID+"/"+e.token, "", nil)
	if r := e.fetch(http.MethodGet, "/api/image?fileName="+rep.Message); r.status != 404 {
		t.Fatalf("image of a deleted chat: %d", r.status)
	}
	if len(e.blobs()) != 0 {
		t.Fatal("the image's bytes outlived its chat")
	}
}

func TestImageFailuresCostNothing(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	soloToken, _ := e.newApp("solo@example.com", "solo", 5000)
	tests := []struct {
		name, token, message string
		status               int
	}{
		{"the provider fails", e.token, "mock:status 500", 502},
		{"plan without image generation", soloToken, "bir kedi", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.postJSON("/api/v2/newChat/14/"+tt.token, map[string]string{"message": tt.message})
			if r.status != tt.status {
				t.Fatalf("got %d %s, want %d", r.status, r.body, tt.status)
			}
			if e.balance() != 5000 || len(e.blobs()) != 0 {
				t.Fatalf("balance %d, %d blobs", e.balance(), len(e.blobs()))
			}
		})
	}
}

func TestFileNamesAreChecked(t *testing.T) {
	e := newEnv(t, options{})
	tests := []struct {
		url    string
		status int
	}{
		{"/api/image?fileName=../../etc/passwd", 400},
		{"/api/image?fileName=%2Fetc%2Fpasswd", 400},
		{"/api/image", 400},
		{"/api/image?fileName=0123456789abcdef0123456789abcdef.pdf", 400},
		{"/api/image?fileName=0123456789ABCDEF0123456789ABCDEF.png", 400},
		{"/api/image?fileName=0123456789abcdef0123456789abcdef.png", 404},
		{"/api/file?fileName=0123456789abcdef0123456789abcdef.png", 400},
		{"/api/file?fileName=..%2F..%2Fajans.db", 400},
		{"/api/file?fileName=0123456789abcdef0123456789abcdef.docx", 404},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if r := e.fetch(http.MethodGet, tt.url); r.status != tt.status {
				t.Fatalf("got %d %s, want %d", r.status, r.body, tt.status)
			}
		})
	}
	if r := e.call(http.MethodPost, "/api/image?fileName=x.png", "", nil); r.status != 405 {
		t.Fatalf("POST: %d", r.status)
	}
}

// document is a Markdown reply with Turkish text, a list and a table.
const document = "# Teklif\n\nŞirketimiz ığdır, çöğüş ve İSTANBUL sözcüklerini doğru yazar.\n\n" +
	"- Birinci madde\n- İkinci madde\n\n| Ürün | Fiyat |\n|---|---|\n| Çay | 12.5 |\n| Süt | 30 |\n"

// makeDocument asks assistant 16 for the document in format and returns
// the generated file's bytes.
func makeDocument(e *env, format string) (fileReplyT, []byte) {
	e.t.Helper()
	r := e.postForm("/api/v2/newChat/16/"+e.token, map[string]string{"message": document,
		"output": format})
	rep := e.okReply(r)
	if !rep.IsDocument || len(rep.Files) != 1 || rep.Message != strings.TrimSpace(document) {
		e.t.Fatalf("reply %+v", rep)
	}
	f := rep.Files[0]
	got := e.fetch(http.MethodGet, f.URL)
	if got.status != 200 || int64(len(got.body)) != f.Size || got.header.Get("Content-Type") != f.MIME {
		e.t.Fatalf("GET %s: %d %v", f.URL, got.status, got.header)
	}
	if cd := got.header.Get("Content-Disposition"); !strings.Contains(cd, "Teklif."+format) {
		e.t.Fatalf("Content-Disposition %q", cd)
	}
	return f, got.body
}

// words are what each document must say.
var words = []string{"Teklif", "Şirketimiz ığdır, çöğüş ve İSTANBUL sözcüklerini doğru yazar.",
	"Birinci madde", "İkinci madde", "Çay", "Süt"}

func TestDocumentsAsked(t *testing.T) {
	e := newEnv(t, options{credits: 50_000})
	t.Run("docx", func(t *testing.T) {
		_, data := makeDocument(e, "docx")
		checkOfficeXML(t, data, "word/document.xml")
		checkWords(t, data, extract.FormatDOCX, "docx")
	})
	t.Run("pdf", func(t *testing.T) {
		_, data := makeDocument(e, "pdf")
		checkWords(t, data, extract.FormatPDF, "pdf")
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext is not installed; poppler's reading is not checked")
		}
		path := filepath.Join(t.TempDir(), "teklif.pdf")
		os.WriteFile(path, data, 0o600)
		out, err := exec.Command("pdftotext", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range words {
			if !strings.Contains(string(out), w) {
				t.Errorf("pdftotext lacks %q:\n%s", w, out)
			}
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		_, data := makeDocument(e, "xlsx")
		checkOfficeXML(t, data, "xl/workbook.xml")
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Teklif")
		if err != nil || len(rows) != 3 || rows[1][0] != "Çay" || rows[2][1] != "30" {
			t.Fatalf("rows %q, %v (sheets %v)", rows, err, f.GetSheetList())
		}
	})
	t.Run("md", func(t *testing.T) {
		_, data := makeDocument(e, "md")
		if string(data) != strings.TrimSpace(document)+"\n" {
			t.Fatalf("markdown %q", data)
		}
	})
}

// checkOfficeXML fails unless data is a zip archive of well-formed XML
// parts, with content types and the given main part.
func checkOfficeXML(tb testing.TB, data []byte, main string) {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range zr.File {
		seen[f.Name] = true
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		rc, _ := f.Open()
		d := xml.NewDecoder(rc)
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				tb.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
		rc.Close()
	}
	if !seen["[Content_Types].xml"] || !seen[main] || !seen["_rels/.rels"] {
		tb.Fatalf("parts %v", seen)
	}
}

// checkWords reads the document back and looks for each word.
func checkWords(tb testing.TB, data []byte, format extract.Format, ext string) {
	tb.Helper()
	typ, err := extract.Detect(bytes.NewReader(data), int64(len(data)), "teklif."+ext)
	if err != nil || typ.Format != format {
		tb.Fatalf("Detect = %+v, %v", typ, err)
	}
	text, _, err := extract.Text(bytes.NewReader(data), int64(len(data)), typ, extract.Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, w := range words {
		if !strings.Contains(text, w) {
			tb.Errorf("the %s reads back without %q:\n%s", ext, w, text)
		}
	}
}

func TestDocumentBlocks(t *testing.T) {
	e := newEnv(t, options{credits: 50_000})
	soloToken, _ := e.newApp("solo@example.com", "solo", 5000)
	msg := "Tutanağı hazırladım.\n<ajans-document format=\"pdf\" title=\"Toplantı Tutanağı\">\n" +
		"# Toplantı\n\nKatılanlar: Ayşe, Çağrı.\n</ajans-document>\nİyi çalışmalar."

	// Assistant 15 makes documents: the block becomes a PDF.
	rep := e.okReply(e.postJSON("/api/v2/newChat/15/"+e.token, map[string]string{"message": msg}))
	if !rep.IsDocument || len(rep.Files) != 1 || rep.Files[0].MIME != "application/pdf" {
		t.Fatalf("reply %+v", rep)
	}
	if strings.Contains(rep.Message, "ajans-document") || !strings.Contains(rep.Message, "Katılanlar") {
		t.Fatalf("message %q", rep.Message)
	}
	got := e.fetch(http.MethodGet, rep.Files[0].URL)
	if !strings.Contains(got.header.Get("Content-Disposition"), "Toplant") {
		t.Fatalf("Content-Disposition %q", got.header.Get("Content-Disposition"))
	}

	// Without document generation in the plan the block stays text, and
	// asking for a format is refused.
	r := e.call(http.MethodPost, "/api/v2/newChat/15/"+soloToken, "application/json",
		strings.NewReader(`{"message": "`+strings.ReplaceAll(strings.ReplaceAll(msg, `"`, `\"`),
			"\n", `\n`)+`"}`))
	var plain fileChatReply
	r.decode(t, &plain)
	if r.status != 200 || plain.IsDocument || !strings.Contains(plain.Message, "<ajans-document") {
		t.Fatalf("solo plan: %d %s", r.status, r.body)
	}
	r = e.postForm("/api/v2/newChat/16/"+soloToken, map[string]string{"message": "x",
		"output": "pdf"})
	if r.status != 403 || r.code() != ajans.EFORBIDDEN {
		t.Fatalf("output on the solo plan: %d %s", r.status, r.body)
	}
	r = e.postForm("/api/v2/newChat/16/"+e.token, map[string]string{"message": "x",
		"output": "exe"})
	if r.status != 400 {
		t.Fatalf("output=exe: %d %s", r.status, r.body)
	}
}
