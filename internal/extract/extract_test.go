package extract_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/ajans/ajans/internal/extract"
)

// zipOf returns a zip archive of the named parts, in the order given.
func zipOf(tb testing.TB, parts ...string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(parts[i+1]))
	}
	zw.Close()
	return buf.Bytes()
}

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// docxOf returns a minimal Word document with body as its w:body.
func docxOf(tb testing.TB, body string) []byte {
	return zipOf(tb, "[Content_Types].xml", "<Types/>", "word/document.xml",
		`<?xml version="1.0"?><w:document `+wordNS+`><w:body>`+body+`</w:body></w:document>`)
}

// pptxOf returns a minimal presentation of slides, each a list of paragraphs.
func pptxOf(tb testing.TB, slides ...[]string) []byte {
	parts := []string{"[Content_Types].xml", "<Types/>", "ppt/presentation.xml", "<p/>"}
	for i, paras := range slides {
		var b strings.Builder
		b.WriteString(`<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody>`)
		for _, p := range paras {
			b.WriteString("<a:p><a:r><a:t>" + p + "</a:t></a:r></a:p>")
		}
		b.WriteString("</p:txBody></p:sp></p:spTree></p:cSld></p:sld>")
		parts = append(parts, "ppt/slides/slide"+string(rune('1'+i))+".xml", b.String())
	}
	return zipOf(tb, parts...)
}

func workbook(tb testing.TB) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Gelirler")
	f.SetSheetRow("Gelirler", "A1", &[]any{"Ay", "Şehir", "Tutar"})
	f.SetSheetRow("Gelirler", "A2", &[]any{"Ocak", "İzmir", 1250.5})
	f.SetSheetRow("Gelirler", "B3", &[]any{"Muğla", true})
	f.NewSheet("Boş")
	f.NewSheet("Notlar")
	f.SetCellStr("Notlar", "C2", "ğüşıöç")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func pdfOf(tb testing.TB, lines ...string) []byte {
	tb.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.AddPage()
	p.SetFont("go", "", 12)
	for _, l := range lines {
		p.CellFormat(0, 8, l, "", 1, "L", false, 0, "")
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// read detects and extracts data named name.
func read(tb testing.TB, name string, data []byte, lim extract.Limits) (string, bool, error) {
	tb.Helper()
	r := bytes.NewReader(data)
	t, err := extract.Detect(r, int64(len(data)), name)
	if err != nil {
		return "", false, err
	}
	return extract.Text(r, int64(len(data)), t, lim)
}

func TestText(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"utf-8", "a.txt", []byte("Şişli'de ılık bir gün.\r\nİkinci satır"),
			"Şişli'de ılık bir gün.\nİkinci satır"},
		{"utf-8 with BOM", "a.csv", []byte("\xEF\xBB\xBFad;şehir\nAyşe;Muğla"),
			"ad;şehir\nAyşe;Muğla"},
		{"utf-16le", "a.txt", []byte("\xFF\xFE\x5E\x01\x69\x00"), "Şi"},
		{"windows-1254", "a.csv", []byte("\xDEi\xFEli;\xDDzmir;\xF0"), "Şişli;İzmir;ğ"},
		{"markdown", "not.md", []byte("# Başlık\n\n- madde"), "# Başlık\n\n- madde"},
		{"json", "v.json", []byte(`{"şehir": "İzmir"}`), `{"şehir": "İzmir"}`},
		{"html", "a.html", []byte("<html><head><title>Başlık</title><style>p{}</style>" +
			"</head><body><p>Bir  <b>iki</b></p><script>alert(1)</script><p>üç</p>" +
			"<table><tr><td>a</td><td>b</td></tr></table></body></html>"),
			"Başlık\nBir iki\nüç\na\tb"},
		{"docx", "a.docx", docxOf(t, `<w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs>`+
			`</w:pPr><w:r><w:t>Toplantı</w:t><w:tab/><w:t xml:space="preserve"> notu</w:t>`+
			`</w:r><w:del><w:r><w:delText>silindi</w:delText></w:r></w:del></w:p>`+
			`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Çay</w:t></w:r></w:p></w:tc><w:tc><w:p>`+
			`<w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>Son</w:t>`+
			`<w:br/><w:t>satır</w:t></w:r></w:p>`),
			"Toplantı\t notu\nÇay \t12\nSon\nsatır"},
		{"pptx", "a.pptx", pptxOf(t, []string{"Başlık", "Madde bir"}, []string{"İkinci"}),
			"# Slide 1\nBaşlık\nMadde bir\n\n# Slide 2\nİkinci"},
		{"xlsx", "a.xlsx", workbook(t), "# Sheet: Gelirler\nAy\tŞehir\tTutar\n" +
			"Ocak\tİzmir\t1250.5\n\tMuğla\tTRUE\n\n# Sheet: Boş\n\n# Sheet: Notlar\n\t\tğüşıöç"},
		{"pdf", "a.pdf", pdfOf(t, "Şişli'de ığdır çöğüş İSTANBUL.", "İkinci satır"),
			"Şişli'de ığdır çöğüş İSTANBUL.\nİkinci satır"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, truncated, err := read(t, tt.file, tt.data, extract.Limits{})
			if err != nil || truncated || got != tt.want {
				t.Fatalf("got %q, %v, %v\nwant %q", got, truncated, err, tt.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		want       extract.Format
		mime       string
		err        error
	}{
		{"text", "a.txt", []byte("merhaba"), extract.FormatText, "text/plain; charset=utf-8", nil},
		{"no extension", "README", []byte("merhaba"), extract.FormatText, "text/plain; charset=utf-8", nil},
		{"csv", "a.CSV", []byte("a,b"), extract.FormatText, "text/csv; charset=utf-8", nil},
		{"pdf", "a.pdf", pdfOf(t, "x"), extract.FormatPDF, "application/pdf", nil},
		{"pdf without extension", "belge", pdfOf(t, "x"), extract.FormatPDF, "application/pdf", nil},
		{"docx", "a.docx", docxOf(t, ""), extract.FormatDOCX, "", nil},
		{"xlsx named zip-less", "tablo", workbook(t), extract.FormatXLSX, "", nil},
		{"pptx", "a.pptx", pptxOf(t), extract.FormatPPTX, "", nil},
		{"png as jpg", "a.jpg", pngBytes, extract.FormatImage, "image/png", nil},
		{"empty", "a.txt", nil, "", "", extract.ErrEmpty},
		{"text named pdf", "a.pdf", []byte("merhaba"), "", "", extract.ErrMismatch},
		{"pdf named docx", "a.docx", pdfOf(t, "x"), "", "", extract.ErrMismatch},
		{"docx named txt", "a.txt", docxOf(t, ""), "", "", extract.ErrMismatch},
		{"image named xlsx", "a.xlsx", pngBytes, "", "", extract.ErrMismatch},
		{"plain zip", "a.zip", zipOf(t, "a.txt", "x"), "", "", extract.ErrUnsupported},
		{"executable", "a.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "", "",
			extract.ErrUnsupported},
		{"old word", "a.doc", []byte("merhaba"), "", "", extract.ErrUnsupported},
		{"broken zip", "a.docx", []byte("PK\x03\x04broken"), "", "", extract.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := extract.Detect(bytes.NewReader(tt.data), int64(len(tt.data)), tt.file)
			if !errors.Is(err, tt.err) || got.Format != tt.want ||
				(tt.mime != "" && got.MIME != tt.mime) {
				t.Fatalf("Detect = %+v, %v; want %s %s %v", got, err, tt.want, tt.mime, tt.err)
			}
		})
	}
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01" +
	"\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01" +
	"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestLimits(t *testing.T) {
	bomb := docxOf(t, "<w:p><w:r><w:t>"+strings.Repeat("0", 3<<20)+"</w:t></w:r></w:p>")
	many := []string{"[Content_Types].xml", "x", "word/document.xml", "<w:document/>"}
	for i := range 5001 {
		many = append(many, "f/"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+
			"/"+itoa(i), "")
	}
	tests := []struct {
		name string
		file string
		data []byte
		lim  extract.Limits
		err  error
	}{
		{"zip bomb", "a.docx", bomb, extract.Limits{MaxUnpacked: 1 << 20}, extract.ErrBomb},
		{"too many entries", "a.docx", zipOf(t, many...), extract.Limits{}, extract.ErrBomb},
		{"pdf streams over the budget", "a.pdf", pdfOf(t, strings.Repeat("ş", 200)),
			extract.Limits{MaxUnpacked: 100}, extract.ErrBomb},
		{"scanned pdf", "a.pdf", pdfOf(t), extract.Limits{}, extract.ErrNoText},
		{"blank text", "a.txt", []byte(" \n\t "), extract.Limits{}, extract.ErrNoText},
		{"binary after the sniffed start", "a.txt", []byte(strings.Repeat("a", 600) + "\x00"),
			extract.Limits{}, extract.ErrCorrupt},
		{"broken docx xml", "a.docx", docxOf(t, "<w:p><w:r"), extract.Limits{},
			extract.ErrCorrupt},
		{"broken pdf", "a.pdf", []byte("%PDF-1.4\n1 0 obj <<>> endobj trailer <<>>"),
			extract.Limits{}, extract.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := read(t, tt.file, tt.data, tt.lim); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
		})
	}

	t.Run("text cut at the limit", func(t *testing.T) {
		got, truncated, err := read(t, "a.txt", []byte(strings.Repeat("ğ", 100)),
			extract.Limits{MaxText: 51})
		if err != nil || !truncated || got != strings.Repeat("ğ", 25) {
			t.Fatalf("got %q, %v, %v", got, truncated, err)
		}
	})
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}
