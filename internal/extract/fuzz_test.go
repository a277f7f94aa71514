package extract_test

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/ajans/ajans/internal/extract"
)

// fuzzLimits keep each fuzz run small.
var fuzzLimits = extract.Limits{MaxUnpacked: 1 << 20, MaxEntries: 200, MaxText: 4096,
	MaxPages: 20}

// known are the errors Text may return for bad input.
var known = []error{extract.ErrEmpty, extract.ErrUnsupported, extract.ErrMismatch,
	extract.ErrBomb, extract.ErrCorrupt, extract.ErrNoText}

// checkText runs Text on data as format and fails on a panic (by not
// recovering), on text that is not UTF-8 or over the limit, and on an
// error of an unknown kind.
func checkText(t *testing.T, data []byte, format extract.Format) {
	text, _, err := extract.Text(bytes.NewReader(data), int64(len(data)),
		extract.Type{Format: format}, fuzzLimits)
	if err != nil {
		for _, k := range known {
			if errors.Is(err, k) {
				return
			}
		}
		t.Fatalf("error of no known kind: %v", err)
	}
	if !utf8.ValidString(text) || len(text) > fuzzLimits.MaxText {
		t.Fatalf("text of %d bytes, valid UTF-8 %v", len(text), utf8.ValidString(text))
	}
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte("merhaba"), "a.txt")
	f.Add(pdfOf(f, "x"), "a.pdf")
	f.Add(docxOf(f, ""), "a.docx")
	f.Add(pngBytes, "a.png")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		typ, err := extract.Detect(bytes.NewReader(data), int64(len(data)), name)
		if err == nil && (typ.Format == "" || typ.MIME == "" || typ.Ext == "") {
			t.Fatalf("Detect = %+v", typ)
		}
	})
}

func FuzzPlainText(f *testing.F) {
	f.Add([]byte("Şişli'de ılık"))
	f.Add([]byte("\xFF\xFE\x5E\x01"))
	f.Add([]byte("\xDEi\xFEli"))
	f.Fuzz(func(t *testing.T, data []byte) { checkText(t, data, extract.FormatText) })
}

func FuzzHTML(f *testing.F) {
	f.Add([]byte("<p>Bir <b>iki</b></p><script>x</script>"))
	f.Add([]byte("<style><style></p>"))
	f.Fuzz(func(t *testing.T, data []byte) { checkText(t, data, extract.FormatHTML) })
}

func FuzzPDF(f *testing.F) {
	f.Add(pdfOf(f, "Şişli'de ığdır", "İkinci"))
	f.Add(pdfOf(f))
	f.Add([]byte("%PDF-1.4\n1 0 obj <<>> endobj trailer <<>>"))
	f.Fuzz(func(t *testing.T, data []byte) { checkText(t, data, extract.FormatPDF) })
}

func FuzzDOCX(f *testing.F) {
	f.Add(docxOf(f, `<w:p><w:r><w:t>Toplantı</w:t><w:tab/></w:r></w:p>`))
	f.Add(docxOf(f, `<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>`))
	f.Fuzz(func(t *testing.T, data []byte) { checkText(t, data, extract.FormatDOCX) })
}

func FuzzXLSX(f *testing.F) {
	f.Add(workbook(f))
	f.Fuzz(func(t *testing.T, data []byte) { checkText(t, data, extract.FormatXLSX) })
}

func FuzzPPTX(f *testing.F) {
	f.Add(pptxOf(f, []string{"Başlık", "Madde"}, []string{"İki"}))
	f.Fuzz(func(t *testing.T, data []byte) { checkText(t, data, extract.FormatPPTX) })
}
