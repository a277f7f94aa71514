package render_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ajans/ajans/internal/extract"
	"github.com/ajans/ajans/internal/render"
)

// sample is a Markdown document with Turkish text and every kind of block.
const sample = "# Aylık Rapor\n\nŞirketimiz **ığdır** ve *çöğüş* sözcüklerini `İSTANBUL` ile yazar.\n\n" +
	"## Özet\n\n- Birinci madde\n- İkinci madde\n  - Alt madde\n\n1. Önce\n2. Sonra\n\n" +
	"> Alıntı satırı\n\n```\nfmt.Println(\"ğüşıöç\")\n```\n\n---\n\n" +
	"| Ürün | Fiyat |\n|---|---|\n| Çay | 12.5 |\n| Süt | 30 |\n"

// said are phrases every rendering must hold.
var said = []string{"Aylık Rapor", "Şirketimiz ığdır ve çöğüş sözcüklerini İSTANBUL ile yazar.",
	"Özet", "Birinci madde", "Alt madde", "Önce", "Alıntı satırı", `fmt.Println("ğüşıöç")`,
	"Çay", "12.5", "Süt"}

func renderTo(tb testing.TB, f render.Format, doc render.Document) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := render.Render(&buf, f, doc); err != nil {
		tb.Fatalf("render %s: %v", f, err)
	}
	return buf.Bytes()
}

// readBack extracts the text of a rendered document.
func readBack(tb testing.TB, data []byte, format extract.Format) string {
	tb.Helper()
	text, _, err := extract.Text(bytes.NewReader(data), int64(len(data)),
		extract.Type{Format: format}, extract.Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	return text
}

func TestDOCX(t *testing.T) {
	data := renderTo(t, render.DOCX, render.Document{Markdown: sample})
	wellFormed(t, data)
	text := readBack(t, data, extract.FormatDOCX)
	for _, s := range said {
		if !strings.Contains(text, s) {
			t.Errorf("the DOCX lacks %q:\n%s", s, text)
		}
	}
	if strings.Count(text, "Aylık Rapor") != 1 {
		t.Errorf("the title heading is repeated:\n%s", text)
	}
}

// wellFormed fails unless every XML part of an Office file parses.
func wellFormed(tb testing.TB, data []byte) {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		d := xml.NewDecoder(rc)
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				tb.Fatalf("%s: %v", f.Name, err)
			}
		}
		rc.Close()
	}
}

func TestPDF(t *testing.T) {
	data := renderTo(t, render.PDF, render.Document{Markdown: sample,
		Created: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)})
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data, []byte("FontFile2")) {
		t.Fatal("not a PDF with an embedded TrueType font")
	}
	text := readBack(t, data, extract.FormatPDF)
	for _, s := range said {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF reads back without %q:\n%s", s, text)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed; poppler's reading is not checked")
	}
	path := filepath.Join(t.TempDir(), "rapor.pdf")
	os.WriteFile(path, data, 0o600)
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range said {
		if !strings.Contains(string(out), s) {
			t.Errorf("poppler reads the PDF without %q:\n%s", s, out)
		}
	}
}

func TestXLSX(t *testing.T) {
	md := "# Satışlar\n\n| Ay | Tutar |\n|---|---|\n| Ocak | 1250 |\n\n# Satışlar\n\n" +
		"| Şube | Kişi |\n|---|---|\n| İzmir | 4 |\n\n| a | b |\n|---|---|\n| 1 | x |\n"
	data := renderTo(t, render.XLSX, render.Document{Markdown: md})
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if strings.Join(sheets, "|") != "Satışlar|Satışlar (2)|Satışlar (3)" {
		t.Fatalf("sheets %q", sheets)
	}
	rows, _ := f.GetRows("Satışlar (2)")
	if len(rows) != 2 || rows[1][0] != "İzmir" || rows[1][1] != "4" {
		t.Fatalf("rows %q", rows)
	}
	if typ, _ := f.GetCellType("Satışlar", "B2"); typ != excelize.CellTypeNumber &&
		typ != excelize.CellTypeUnset {
		t.Errorf("1250 is stored as %v, want a number", typ)
	}

	// Without tables, the lines go down the first column.
	data = renderTo(t, render.XLSX, render.Document{Title: "Not", Markdown: "# Başlık\n\nBir satır."})
	f2, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if rows, _ := f2.GetRows("Not"); len(rows) != 2 || rows[1][0] != "Bir satır." {
		t.Fatalf("rows %q", rows)
	}
}

func TestMarkdownAndFormats(t *testing.T) {
	if got := renderTo(t, render.Markdown, render.Document{Markdown: "\n# A\n\n"}); string(got) != "# A\n" {
		t.Fatalf("markdown %q", got)
	}
	for _, s := range []string{"docx", "PDF", " xlsx", "md", "markdown", "word", "excel"} {
		if _, ok := render.ParseFormat(s); !ok {
			t.Errorf("ParseFormat(%q) failed", s)
		}
	}
	if _, ok := render.ParseFormat("exe"); ok {
		t.Error("ParseFormat(exe) succeeded")
	}
}

// FuzzRender renders any Markdown in every format: nothing fails, and the
// Office files stay well-formed XML.
func FuzzRender(f *testing.F) {
	f.Add(sample)
	f.Add("| a |\n|---|\n| \x00\x01\uFFFE |")
	f.Add("<ajans-document>\n* - + 1. [x](y) ![i](j) <b>")
	f.Fuzz(func(t *testing.T, md string) {
		if len(md) > 4096 {
			return
		}
		for _, format := range render.Formats {
			data := renderTo(t, format, render.Document{Title: md, Markdown: md})
			if format == render.DOCX || format == render.XLSX {
				wellFormed(t, data)
			}
		}
	})
}
