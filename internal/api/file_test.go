package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/ajans/ajans/internal/chat"
	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/render"
)

// upload is one file part of a multipart request.
type upload struct {
	field string // "attachements" when empty
	name  string
	data  []byte
	param string // the filename parameter as sent, when not filename="name"
}

// multipartBody returns a multipart body of fields and files. File names
// go into the header as they are, so tests can send names no browser would.
func multipartBody(tb testing.TB, fields map[string]string, files ...upload) (string, *bytes.Buffer) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		if f.field == "" {
			f.field = "attachements"
		}
		h := textproto.MIMEHeader{}
		if f.param == "" {
			f.param = `filename="` + f.name + `"`
		}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; %s`, f.field, f.param))
		h.Set("Content-Type", "application/octet-stream") // never trusted
		w, err := mw.CreatePart(h)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func (e *env) postFiles(path string, fields map[string]string, files ...upload) response {
	e.t.Helper()
	ct, body := multipartBody(e.t, fields, files...)
	return e.call(http.MethodPost, path, ct, body)
}

// fileReplyT is a generated file in a reply.
type fileReplyT struct {
	FileName string `json:"file_name"`
	URL      string `json:"url"`
	MIME     string `json:"mime"`
	Size     int64  `json:"size"`
}

// fileChatReply is a chat reply with the fields of files.
type fileChatReply struct {
	chatReply
	Images     []string     `json:"images"`
	IsDocument bool         `json:"is_document"`
	Files      []fileReplyT `json:"files"`
	Notices    []string     `json:"notices"`
}

func (e *env) okReply(r response) fileChatReply {
	e.t.Helper()
	if r.status != http.StatusOK {
		e.t.Fatalf("status %d: %s", r.status, r.body)
	}
	var rep fileChatReply
	r.decode(e.t, &rep)
	return rep
}

// Fixtures: documents with Turkish text, made by real writers.
const (
	pdfText  = "Şirketimizin 2026 kârı %18 arttı; ığdır, çöğüş ve İSTANBUL doğru yazıldı."
	docxText = "Toplantı tutanağı: Ayşe Gül ve Çağrı Öztürk yeni bütçeyi onayladı."
)

func rendered(tb testing.TB, f render.Format, md string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := render.Render(&buf, f, render.Document{Markdown: md}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// onePagePDF returns a PDF made by fpdf with one line of text, in a
// Unicode TrueType font.
func onePagePDF(tb testing.TB, text string) []byte {
	tb.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.AddPage()
	p.SetFont("go", "", 11)
	p.Cell(0, 10, text)
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// workbook returns an XLSX made by excelize with one sheet of rows.
func workbook(tb testing.TB, sheet string, rows [][]string) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheet)
	for i, row := range rows {
		for j, v := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr(sheet, ref, v)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// blobs returns the files in the blob store by name.
func (e *env) blobs() map[string][]byte {
	e.t.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(e.blobDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			out[d.Name()] = data
		}
		return nil
	})
	return out
}

// spooled returns how many upload files are still waiting.
func (e *env) spooled() int {
	left, _ := os.ReadDir(e.spoolDir)
	return len(left)
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestAttachmentsReachTheModel(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	pdf := onePagePDF(t, pdfText)
	docx := rendered(t, render.DOCX, docxText)
	xlsx := workbook(t, "Satışlar", [][]string{{"Ad", "Şehir", "Tutar"},
		{"Çağlar", "İzmir", "1250"}, {"Ayşe Gül", "Muğla", "980"}})
	files := []upload{{name: "Kâr raporu.pdf", data: pdf}, {name: "tutanak.docx", data: docx},
		{field: "attachments", name: "satış.xlsx", data: xlsx}}

	rep := e.okReply(e.postFiles("/api/v2/newChat/16/"+e.token,
		map[string]string{"message": "Bu dosyaları özetle."}, files...))

	// The mock model echoes the user message it received: the message,
	// then each file's text under its name, exactly.
	want := "Bu dosyaları özetle." +
		"\n\n--- Attached file: Kâr raporu.pdf ---\n" + pdfText + "\n--- End of Kâr raporu.pdf ---" +
		"\n\n--- Attached file: tutanak.docx ---\n" + docxText + "\n--- End of tutanak.docx ---" +
		"\n\n--- Attached file: satış.xlsx ---\n# Sheet: Satışlar\nAd\tŞehir\tTutar\n" +
		"Çağlar\tİzmir\t1250\nAyşe Gül\tMuğla\t980\n--- End of satış.xlsx ---"
	if rep.Message != want {
		t.Fatalf("the model received:\n%s\n\nwant:\n%s", rep.Message, want)
	}
	// The files' text is billed as part of the message.
	if rep.Usage.MessageTokens < 100 || rep.RemainingCredit != 5000-rep.Usage.Credits ||
		e.balance() != rep.RemainingCredit {
		t.Fatalf("usage %+v, remaining %d", rep.Usage, rep.RemainingCredit)
	}

	// Stored under unguessable names, byte for byte, with type and hash.
	stored := e.blobs()
	if len(stored) != 3 || e.spooled() != 0 {
		t.Fatalf("%d blobs stored, %d spool files left", len(stored), e.spooled())
	}
	var history struct {
		Messages []struct {
			Role        string `json:"role"`
			Content     string `json:"content"`
			Attachments []struct {
				Name, MIME, SHA256 string
				Size               int64
			} `json:"attachments"`
		} `json:"messages"`
	}
	chatID := strconv.FormatInt(rep.ChatID, 10)
	e.get("/api/v2/resumeChat/"+chatID+"/"+e.token).decode(t, &history)
	got := history.Messages[0]
	if got.Content != "Bu dosyaları özetle." || len(got.Attachments) != 3 {
		t.Fatalf("history: %+v", history)
	}
	wantMIME := []string{"application/pdf", "application/vnd.openxmlformats-officedocument." +
		"wordprocessingml.document", "application/vnd.openxmlformats-officedocument." +
		"spreadsheetml.sheet"}
	for i, a := range got.Attachments {
		if a.Name != files[i].name || a.MIME != wantMIME[i] || a.Size != int64(len(files[i].data)) ||
			a.SHA256 != sha(files[i].data) {
			t.Errorf("attachment %d: %+v", i, a)
		}
	}

	// deleteChat removes the files from storage too.
	if r := e.call(http.MethodDelete, "/api/v2/deleteChat/"+chatID+"/"+e.token, "", nil); r.status != 200 {
		t.Fatalf("deleteChat: %d %s", r.status, r.body)
	}
	if left := e.blobs(); len(left) != 0 {
		t.Fatalf("%d blobs left after deleteChat", len(left))
	}
}

func TestAttachmentTextIsCutToTheBudget(t *testing.T) {
	e := newEnv(t, options{credits: 100_000,
		engine: func(c *chat.Config) { c.AttachmentTokens = 1000 }})
	long := strings.Repeat("Kısa bir cümle daha. ", 3000) // about 15,000 tokens
	files := []upload{{name: "a.txt", data: []byte(long)}, {name: "b.md", data: []byte(long)}}
	rep := e.okReply(e.postFiles("/api/v2/newChat/16/"+e.token,
		map[string]string{"message": "Oku"}, files...))
	if len(rep.Notices) != 2 || !strings.Contains(rep.Notices[0], "a.txt") {
		t.Fatalf("notices %q", rep.Notices)
	}
	if !strings.Contains(rep.Message, "[ajans: the text of a.txt was cut here") ||
		!strings.Contains(rep.Message, "[ajans: the text of b.md was cut here") {
		t.Fatalf("no visible note in what the model read")
	}
	if rep.Usage.MessageTokens > 1000+100 || rep.Usage.MessageTokens < 950 {
		t.Fatalf("message tokens %d, want about the 1,000 budget", rep.Usage.MessageTokens)
	}
}

func TestImagesGoToAssistantsThatSee(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	png := mock.Picture("ekran")
	rep := e.okReply(e.postFiles("/api/v2/newChat/16/"+e.token,
		map[string]string{"message": "Bu ekran görüntüsünde hata ne?"},
		upload{name: "ekran.png", data: png}))
	if rep.Message != "Bu ekran görüntüsünde hata ne?\n\n[Attached image: ekran.png]" {
		t.Fatalf("echo %q", rep.Message)
	}
	if rep.Usage.MessageTokens < 1000 {
		t.Fatalf("an image counts 1,000 message tokens; usage %+v", rep.Usage)
	}
}

// streamUpload sends newChat with one file of size bytes of 'a', written
// as the request goes, so the test itself holds no copy of it.
func (e *env) streamUpload(size int64) response {
	e.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("message", "büyük dosya")
		w, _ := mw.CreateFormFile("attachements", "büyük.txt")
		chunk := bytes.Repeat([]byte("a"), 32<<10)
		for left := size; left > 0; left -= int64(len(chunk)) {
			n := min(left, int64(len(chunk)))
			if _, err := w.Write(chunk[:n]); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		mw.Close()
		pw.Close()
	}()
	r := e.call(http.MethodPost, "/api/v2/newChat/16/"+e.token, mw.FormDataContentType(), pr)
	pr.Close()
	return r
}
