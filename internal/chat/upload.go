package chat

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/blob"
	"github.com/ajans/ajans/internal/extract"
)

// Upload is a file received with a message: spooled to a temporary file,
// measured, hashed and typed by its bytes. Whoever spooled it removes it
// once the message is sent or refused.
type Upload struct {
	Name  string       // the client's file name, checked by CheckFileName
	Type  extract.Type // sniffed from the bytes
	spool *blob.Spooled
}

// Size returns the file's size in bytes.
func (u *Upload) Size() int64 { return u.spool.Size }

// SHA256 returns the hex SHA-256 of the file.
func (u *Upload) SHA256() string { return u.spool.SHA256 }

// reader returns a reader of the whole file.
func (u *Upload) reader() *io.SectionReader { return u.spool.Reader() }

// Remove deletes the temporary file. It may be called more than once.
func (u *Upload) Remove() {
	if u != nil {
		u.spool.Remove()
	}
}

// RemoveUploads removes each upload.
func RemoveUploads(uploads []*Upload) {
	for _, u := range uploads {
		u.Remove()
	}
}

// Spool reads one uploaded file, called name by the client, from r into a
// temporary file, in small pieces: never more than MaxFileBytes + 1 bytes
// are read and none is held in memory. A file over ajans.MaxFileBytes is
// ETOOLARGE; a bad name, an empty file, a type that is not supported or
// that lies about itself is EINVALID. On error nothing is left behind.
func (e *Engine) Spool(name string, r io.Reader) (*Upload, error) {
	name, err := CheckFileName(name)
	if err != nil {
		return nil, err
	}
	s, err := blob.Spool(e.cfg.SpoolDir, r, e.cfg.MaxFileBytes)
	if errors.Is(err, blob.ErrTooLarge) {
		return nil, ajans.Errorf(ajans.ETOOLARGE, "The file %q is over %d MB, the most a "+
			"file may be. Send a smaller file or split it.", name, e.cfg.MaxFileBytes>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("spool %q: %w", name, err)
	}
	t, err := extract.Detect(s.File, s.Size, name)
	if err != nil {
		s.Remove()
		return nil, fileError(name, err)
	}
	return &Upload{Name: name, Type: t, spool: s}, nil
}

// CheckFileName returns a client's file name trimmed of surrounding space,
// or an EINVALID error when it is empty, longer than 255 bytes, not UTF-8,
// a path, or holds control or bidirectional formatting characters.
func CheckFileName(name string) (string, error) {
	name = strings.TrimSpace(name)
	bad := func(why string) (string, error) {
		return "", ajans.Errorf(ajans.EINVALID, "The file name %q %s. Send the file under a "+
			"plain name such as rapor.pdf.", printable(name), why)
	}
	switch {
	case name == "":
		return bad("is empty")
	case len(name) > 255:
		return bad("is longer than 255 bytes")
	case !utf8.ValidString(name):
		return bad("is not UTF-8")
	case strings.ContainsAny(name, `/\`) || name == "." || name == "..":
		return bad("is a path")
	case strings.IndexFunc(name, hiddenRune) >= 0:
		return bad("holds control characters")
	}
	return name, nil
}

// hiddenRune reports whether r is a control character or one that turns
// the direction of text, with which a name can pass for another.
func hiddenRune(r rune) bool {
	return unicode.IsControl(r) || r >= '\u202A' && r <= '\u202E' ||
		r >= '\u2066' && r <= '\u2069' || r == '\u200E' || r == '\u200F'
}

// printable returns s with its hidden characters escaped, for messages.
func printable(s string) string {
	if len(s) > 80 {
		s = s[:80]
	}
	q := fmt.Sprintf("%+q", s)
	return q[1 : len(q)-1]
}

// fileError turns an error of package extract about the file name into
// an EINVALID error a person can act on.
func fileError(name string, err error) error {
	var msg string
	switch {
	case errors.Is(err, extract.ErrEmpty):
		msg = "The file %q is empty. Send a file with content."
	case errors.Is(err, extract.ErrMismatch):
		msg = "The file %q is not what its name says (" + detail(err) + "). Send the " +
			"file under its real extension."
	case errors.Is(err, extract.ErrUnsupported):
		msg = "The file %q is of a type that cannot be read (" + detail(err) + "). Send " +
			"text, Markdown, CSV, JSON, HTML, PDF, DOCX, XLSX, PPTX, PNG, JPEG, GIF or WebP."
	case errors.Is(err, extract.ErrBomb):
		msg = "The file %q was refused: " + detail(err) + ". Send the document without " +
			"the padding, or split it."
	case errors.Is(err, extract.ErrNoText):
		msg = "The file %q has no text that can be read; a scanned PDF is only pictures " +
			"of pages. Send a PDF with a text layer (run OCR on it first), or send the " +
			"pages as images to an assistant that reads images."
	case errors.Is(err, extract.ErrCorrupt):
		msg = "The file %q could not be read: it is damaged or not what it seems. Open " +
			"and save it again, then send it."
	default:
		return fmt.Errorf("read %q: %w", name, err)
	}
	return ajans.WrapError(ajans.EINVALID, fmt.Sprintf(msg, printable(name)), err)
}

// detail returns what an error of package extract adds to its kind.
func detail(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}
