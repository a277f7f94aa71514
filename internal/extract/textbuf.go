package extract

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// errFull stops a reader once the text buffer is full; Text treats it as
// success with truncated set.
var errFull = errors.New("text limit reached")

// textBuf collects extracted text up to a limit of bytes.
type textBuf struct {
	b     strings.Builder
	limit int
	full  bool
}

func newTextBuf(limit int) *textBuf { return &textBuf{limit: limit} }

// WriteString adds s, or as much of it as fits, cut at a rune boundary;
// once the limit is reached it returns errFull.
func (t *textBuf) WriteString(s string) error {
	if t.full {
		return errFull
	}
	room := t.limit - t.b.Len()
	if len(s) > room {
		s = s[:room]
		for len(s) > 0 { // drop a rune cut in half
			r, size := utf8.DecodeLastRuneInString(s)
			if r != utf8.RuneError || size != 1 {
				break
			}
			s = s[:len(s)-1]
		}
		t.b.WriteString(s)
		t.full = true
		return errFull
	}
	t.b.WriteString(s)
	return nil
}

// newline ends the current line unless the text is empty or ends in one.
func (t *textBuf) newline() error {
	s := t.b.String()
	if s == "" || strings.HasSuffix(s, "\n") {
		return nil
	}
	return t.WriteString("\n")
}

// lastRune returns the last rune written, or 0.
func (t *textBuf) lastRune() rune {
	r, _ := utf8.DecodeLastRuneInString(t.b.String())
	if r == utf8.RuneError {
		return 0
	}
	return r
}

func (t *textBuf) String() string { return t.b.String() }

// tidy drops control characters other than tab and newline, trims the
// ends of lines, and keeps at most one blank line in a row.
func tidy(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return -1
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r) || r == utf8.RuneError || r == '\uFEFF':
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Trim(strings.Join(out, "\n"), "\n")
}
