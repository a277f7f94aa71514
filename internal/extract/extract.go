// Package extract tells what a file is from its bytes and takes its text
// out, for a model to read: plain text, Markdown, CSV and JSON, HTML, PDF,
// and the Office formats DOCX, XLSX and PPTX. Images are recognised, not
// read: they go to models that see.
//
// Everything here reads untrusted input. Archives and PDF streams are read
// through a budget of unpacked bytes (Limits.MaxUnpacked), so a zip bomb
// stops with ErrBomb after that much work; the text returned is capped at
// Limits.MaxText bytes; panics of the PDF library are turned into errors.
package extract

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format is how a file's text is read.
type Format string

// Formats.
const (
	FormatText  Format = "text"  // txt, md, csv, json: UTF-8, UTF-16 or Windows-1254 text
	FormatHTML  Format = "html"  // tags dropped, script and style skipped
	FormatPDF   Format = "pdf"   // the text layer of each page
	FormatDOCX  Format = "docx"  // Word: paragraphs and tables
	FormatXLSX  Format = "xlsx"  // Excel: each sheet's cells, tab-separated
	FormatPPTX  Format = "pptx"  // PowerPoint: each slide's text
	FormatImage Format = "image" // PNG, JPEG, GIF, WebP: not read, shown to models that see
)

// Type is what a file turned out to be.
type Type struct {
	Format Format
	MIME   string // e.g. "application/pdf", "text/markdown; charset=utf-8"
	Ext    string // the usual extension, without the dot: "pdf", "md", "png"
}

// Errors of Detect and Text. They are wrapped with details; test for them
// with errors.Is.
var (
	ErrEmpty       = errors.New("the file is empty")
	ErrUnsupported = errors.New("the file type is not supported")
	ErrMismatch    = errors.New("the file's name and content disagree")
	ErrBomb        = errors.New("the file unpacks to more than the limit")
	ErrCorrupt     = errors.New("the file is damaged or not what it seems")
	ErrNoText      = errors.New("the file has no text to read")
)

// Limits bound the work of reading one file.
type Limits struct {
	// MaxUnpacked is the most bytes read out of a file's compressed parts
	// (archive entries, PDF streams) together; default 48 MB.
	MaxUnpacked int64
	// MaxEntries is the most entries an archive may list; default 5000.
	MaxEntries int
	// MaxText is the most bytes of text returned; default 4 MB.
	MaxText int
	// MaxPages is the most PDF pages read; default 2000.
	MaxPages int
}

// DefaultLimits returns the limits used for a zero Limits.
func DefaultLimits() Limits {
	return Limits{MaxUnpacked: 48 << 20, MaxEntries: 5000, MaxText: 4 << 20, MaxPages: 2000}
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxUnpacked <= 0 {
		l.MaxUnpacked = d.MaxUnpacked
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxText <= 0 {
		l.MaxText = d.MaxText
	}
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	return l
}

// Text returns the text of a file of type t, read from r of size bytes.
// A file with no text at all (a scanned PDF, an empty sheet) is ErrNoText;
// text beyond Limits.MaxText is dropped, and truncated reports so.
func Text(r io.ReaderAt, size int64, t Type, lim Limits) (text string, truncated bool, err error) {
	lim = lim.orDefault()
	out := newTextBuf(lim.MaxText)
	switch t.Format {
	case FormatText:
		err = plainText(io.NewSectionReader(r, 0, size), out)
	case FormatHTML:
		err = htmlText(io.NewSectionReader(r, 0, size), out)
	case FormatPDF:
		err = pdfText(r, size, lim, out)
	case FormatDOCX:
		err = docxText(r, size, lim, out)
	case FormatXLSX:
		err = xlsxText(r, size, lim, out)
	case FormatPPTX:
		err = pptxText(r, size, lim, out)
	default:
		err = fmt.Errorf("%w: no text in %s files", ErrUnsupported, t.Format)
	}
	if errors.Is(err, errFull) {
		err = nil
	}
	if err != nil {
		return "", false, err
	}
	text = tidy(out.String())
	if strings.TrimSpace(text) == "" {
		return "", false, ErrNoText
	}
	return text, out.full, nil
}
