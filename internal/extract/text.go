package extract

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

// plainText reads text in UTF-8 (with or without a byte-order mark),
// UTF-16 with a byte-order mark, or else Windows-1254, the Turkish code
// page that older Windows programs (Excel's CSV) still write. A file with
// NUL bytes in UTF-8 or Windows-1254 is not text.
func plainText(r io.Reader, out *textBuf) error {
	// Read a little over the text limit: enough to fill it from any of
	// the encodings (UTF-16 takes two bytes for most characters).
	data, err := io.ReadAll(io.LimitReader(r, int64(out.limit)*2+4))
	if err != nil {
		return fmt.Errorf("read text: %w", err)
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return out.WriteString(fromUTF16(data[2:], true))
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return out.WriteString(fromUTF16(data[2:], false))
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if bytes.IndexByte(data, 0) >= 0 {
		return fmt.Errorf("%w: binary data in a text file", ErrCorrupt)
	}
	if utf8.Valid(trimCutRune(data)) {
		return out.WriteString(string(data))
	}
	s, err := charmap.Windows1254.NewDecoder().Bytes(data)
	if err != nil {
		return fmt.Errorf("%w: the text is in no known encoding", ErrCorrupt)
	}
	return out.WriteString(string(s))
}

// trimCutRune drops an incomplete rune at the end of data, where a
// limited read may have cut it.
func trimCutRune(data []byte) []byte {
	for i := 1; i < utf8.UTFMax && i <= len(data); i++ {
		if utf8.RuneStart(data[len(data)-i]) {
			if !utf8.FullRune(data[len(data)-i:]) {
				return data[:len(data)-i]
			}
			break
		}
	}
	return data
}

// fromUTF16 decodes UTF-16 text in either byte order.
func fromUTF16(b []byte, bigEndian bool) string {
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(units))
}

// htmlText reads the text of an HTML page: text nodes, with block
// elements on lines of their own; script, style and similar are skipped.
func htmlText(r io.Reader, out *textBuf) error {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(1 << 20) // no single token over a megabyte
	skip := 0
	for {
		tt := z.Next()
		var err error
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return nil
			}
			return fmt.Errorf("%w: %v", ErrCorrupt, z.Err())
		case html.TextToken:
			if skip == 0 {
				err = writeHTMLText(out, string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			skip, err = htmlTag(out, string(name), tt, skip)
		}
		if err != nil {
			return err
		}
	}
}

// writeHTMLText adds a text node with its runs of space made one space.
func writeHTMLText(out *textBuf, s string) error {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		if s != "" && out.lastRune() != ' ' && out.lastRune() != '\n' && out.lastRune() != 0 {
			return out.WriteString(" ")
		}
		return nil
	}
	text := strings.Join(fields, " ")
	if isSpace(s[0]) && out.lastRune() != ' ' && out.lastRune() != '\n' && out.lastRune() != 0 {
		text = " " + text
	}
	if isSpace(s[len(s)-1]) {
		text += " "
	}
	return out.WriteString(text)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// skipped are elements whose content is not text for a reader.
var skipped = map[string]bool{"script": true, "style": true, "noscript": true,
	"template": true, "svg": true}

// blocks are elements that start a line of their own.
var blocks = map[string]bool{"p": true, "div": true, "br": true, "li": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "title": true,
	"section": true, "article": true, "header": true, "footer": true, "table": true,
	"ul": true, "ol": true, "pre": true, "blockquote": true, "hr": true, "dt": true, "dd": true}

// htmlTag tracks skipped elements and breaks lines at block elements.
func htmlTag(out *textBuf, name string, tt html.TokenType, skip int) (int, error) {
	if skipped[name] && tt != html.SelfClosingTagToken {
		if tt == html.StartTagToken {
			return skip + 1, nil
		}
		return max(0, skip-1), nil
	}
	if skip == 0 && blocks[name] {
		return skip, out.newline()
	}
	if skip == 0 && (name == "td" || name == "th") && tt == html.EndTagToken {
		return skip, out.WriteString("\t")
	}
	return skip, nil
}
