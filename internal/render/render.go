package render

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Format is a document format ajans renders.
type Format string

// Formats.
const (
	DOCX     Format = "docx"
	PDF      Format = "pdf"
	XLSX     Format = "xlsx"
	Markdown Format = "md"
)

// Formats lists every format, in the order they are documented.
var Formats = []Format{DOCX, PDF, XLSX, Markdown}

// ParseFormat returns the format named s ("docx", "pdf", "xlsx", "md" or
// "markdown", in any case) and whether there is one.
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "docx", "word":
		return DOCX, true
	case "pdf":
		return PDF, true
	case "xlsx", "excel":
		return XLSX, true
	case "md", "markdown":
		return Markdown, true
	}
	return "", false
}

// MIME returns the media type of documents of the format.
func (f Format) MIME() string {
	switch f {
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case PDF:
		return "application/pdf"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	default:
		return "text/markdown; charset=utf-8"
	}
}

// Document is what a writer renders: a title and Markdown content.
type Document struct {
	Title    string
	Markdown string
	Created  time.Time // zero: now
}

// Render writes doc in format f to w.
func Render(w io.Writer, f Format, doc Document) error {
	if doc.Created.IsZero() {
		doc.Created = time.Now()
	}
	// Writers expect UTF-8; what is not becomes U+FFFD.
	doc.Title = strings.TrimSpace(strings.ToValidUTF8(doc.Title, "\uFFFD"))
	doc.Markdown = strings.ToValidUTF8(doc.Markdown, "\uFFFD")
	blocks := parse(doc.Markdown)
	if doc.Title == "" {
		doc.Title = firstHeading(blocks)
	}
	switch f {
	case DOCX:
		return writeDOCX(w, doc, blocks)
	case PDF:
		return writePDF(w, doc, blocks)
	case XLSX:
		return writeXLSX(w, doc, blocks)
	case Markdown:
		_, err := io.WriteString(w, strings.TrimSpace(doc.Markdown)+"\n")
		return err
	}
	return fmt.Errorf("render: unknown format %q", f)
}

// firstHeading returns the text of the first heading, or "".
func firstHeading(blocks []block) string {
	for _, b := range blocks {
		if b.kind == blockHeading {
			return strings.TrimSpace(plain(b.runs))
		}
	}
	return ""
}

// skipTitle reports whether the first block repeats the title and need not
// be written again under it.
func skipTitle(doc Document, blocks []block) bool {
	return len(blocks) > 0 && blocks[0].kind == blockHeading &&
		strings.TrimSpace(plain(blocks[0].runs)) == doc.Title
}
