package extract

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
)

// sniffLen is how much of a file net/http's sniffer looks at.
const sniffLen = 512

// Detect tells the type of a file from its bytes, not from what a client
// claims. name (the client's file name) only chooses among text formats
// (Markdown, CSV, JSON, …); when its extension names another format than
// the bytes show, Detect refuses the file with ErrMismatch.
func Detect(r io.ReaderAt, size int64, name string) (Type, error) {
	if size == 0 {
		return Type{}, ErrEmpty
	}
	head := make([]byte, min(size, sniffLen))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return Type{}, fmt.Errorf("read file: %w", err)
	}
	t, err := sniff(r, size, head)
	if err != nil {
		return Type{}, err
	}
	return byName(t, strings.ToLower(strings.TrimPrefix(path.Ext(name), ".")))
}

// sniff returns the type the bytes show, with a generic text type for text.
func sniff(r io.ReaderAt, size int64, head []byte) (Type, error) {
	ct := http.DetectContentType(head)
	mediaType, _, _ := strings.Cut(ct, ";")
	switch mediaType {
	case "application/pdf":
		return Type{FormatPDF, "application/pdf", "pdf"}, nil
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return Type{FormatImage, mediaType, strings.TrimPrefix(mediaType, "image/")}, nil
	case "application/zip":
		return office(r, size)
	case "text/html":
		return Type{FormatHTML, "text/html; charset=utf-8", "html"}, nil
	case "text/plain", "text/xml":
		return Type{FormatText, "text/plain; charset=utf-8", "txt"}, nil
	}
	return Type{}, fmt.Errorf("%w: the content is %s", ErrUnsupported, mediaType)
}

// textTypes are the text formats a file name may choose.
var textTypes = map[string]Type{
	"txt":      {FormatText, "text/plain; charset=utf-8", "txt"},
	"text":     {FormatText, "text/plain; charset=utf-8", "txt"},
	"md":       {FormatText, "text/markdown; charset=utf-8", "md"},
	"markdown": {FormatText, "text/markdown; charset=utf-8", "md"},
	"csv":      {FormatText, "text/csv; charset=utf-8", "csv"},
	"tsv":      {FormatText, "text/tab-separated-values; charset=utf-8", "tsv"},
	"json":     {FormatText, "application/json", "json"},
	"xml":      {FormatText, "application/xml", "xml"},
	"html":     {FormatHTML, "text/html; charset=utf-8", "html"},
	"htm":      {FormatHTML, "text/html; charset=utf-8", "html"},
}

// byName refines a sniffed type with the name's extension, and refuses a
// name that claims another format than the bytes show.
func byName(t Type, ext string) (Type, error) {
	claimed, known := claims[ext]
	if tt, ok := textTypes[ext]; ok {
		claimed, known = tt.Format, true
		if t.Format == FormatText || t.Format == FormatHTML {
			return tt, nil
		}
	}
	if legacy[ext] {
		return Type{}, fmt.Errorf("%w: .%s is an old binary Office format; save the file "+
			"as .docx, .xlsx or .pptx", ErrUnsupported, ext)
	}
	if known && claimed != t.Format {
		return Type{}, fmt.Errorf("%w: the name ends in .%s but the content is %s",
			ErrMismatch, ext, t.Format)
	}
	return t, nil
}

// claims maps the extensions of binary formats to the format they claim.
var claims = map[string]Format{
	"pdf": FormatPDF, "docx": FormatDOCX, "xlsx": FormatXLSX, "pptx": FormatPPTX,
	"png": FormatImage, "jpg": FormatImage, "jpeg": FormatImage, "gif": FormatImage,
	"webp": FormatImage,
}

// legacy are Office formats older than Office Open XML.
var legacy = map[string]bool{"doc": true, "xls": true, "ppt": true}

// office tells Word, Excel and PowerPoint files apart by the parts their
// zip archive holds. It reads the archive's directory only, after checking
// that the directory lists no more entries than the default limit.
func office(r io.ReaderAt, size int64) (Type, error) {
	zr, err := openZip(r, size, DefaultLimits().MaxEntries)
	if err != nil {
		return Type{}, err
	}
	has := map[string]bool{}
	for _, f := range zr.File {
		has[f.Name] = true
	}
	switch {
	case !has["[Content_Types].xml"]:
	case has["word/document.xml"]:
		return Type{FormatDOCX, "application/vnd.openxmlformats-officedocument." +
			"wordprocessingml.document", "docx"}, nil
	case has["xl/workbook.xml"]:
		return Type{FormatXLSX, "application/vnd.openxmlformats-officedocument." +
			"spreadsheetml.sheet", "xlsx"}, nil
	case has["ppt/presentation.xml"]:
		return Type{FormatPPTX, "application/vnd.openxmlformats-officedocument." +
			"presentationml.presentation", "pptx"}, nil
	}
	return Type{}, fmt.Errorf("%w: a zip archive that is not a Word, Excel or PowerPoint "+
		"file", ErrUnsupported)
}

// openZip opens a zip archive after reading how many entries its end
// record announces, so that a directory of millions of entries is refused
// before it is read into memory.
func openZip(r io.ReaderAt, size int64, maxEntries int) (*zip.Reader, error) {
	n, err := zipEntries(r, size)
	if err != nil {
		return nil, err
	}
	if n > maxEntries {
		return nil, fmt.Errorf("%w: the archive lists %d entries; the most is %d",
			ErrBomb, n, maxEntries)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return zr, nil
}

// zipEntries returns the entry count of a zip archive's end-of-directory
// record: in its last 22 bytes, or before a comment of up to 64 KiB. A
// count of 0xFFFF (ZIP64) is reported as such, over any sane limit.
func zipEntries(r io.ReaderAt, size int64) (int, error) {
	const endLen, maxComment = 22, 1<<16 - 1
	tail := min(size, endLen+maxComment)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, fmt.Errorf("read archive: %w", err)
	}
	for i := len(buf) - endLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == 0x06054b50 {
			return int(binary.LittleEndian.Uint16(buf[i+10:])), nil
		}
	}
	return 0, fmt.Errorf("%w: the zip archive has no directory", ErrCorrupt)
}
