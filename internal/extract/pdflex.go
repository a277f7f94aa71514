package extract

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// The PDF lexer reads the token syntax shared by content streams and CMaps
// (ISO 32000-1, 7.2 and 7.8): numbers, names, strings, arrays,
// dictionaries and operators. It reads from a budgeted reader, so it never
// sees more bytes than the budget allows.

type tokKind int

const (
	tokEOF tokKind = iota
	tokNumber
	tokName
	tokString // literal or hex; s holds the raw bytes
	tokOp     // an operator or keyword
	tokArrayOpen
	tokArrayClose
	tokDictOpen
	tokDictClose
)

type token struct {
	kind tokKind
	s    string
	n    float64
}

type lexer struct {
	r   *bufio.Reader
	err error // the first read error other than EOF
}

func newLexer(r io.Reader) *lexer { return &lexer{r: bufio.NewReaderSize(r, 8192)} }

// maxToken caps a single token; longer strings and names are cut.
const maxToken = 1 << 20

func (l *lexer) byte() (byte, bool) {
	c, err := l.r.ReadByte()
	if err != nil {
		if err != io.EOF && l.err == nil {
			l.err = err
		}
		return 0, false
	}
	return c, true
}

func (l *lexer) unread() { l.r.UnreadByte() }

func isWhite(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool { return strings.IndexByte("()<>[]{}/%", c) >= 0 }

// next returns the next token, tokEOF at the end or on an error.
func (l *lexer) next() token {
	c, ok := l.skipSpace()
	if !ok {
		return token{kind: tokEOF}
	}
	switch c {
	case '[':
		return token{kind: tokArrayOpen}
	case ']':
		return token{kind: tokArrayClose}
	case '(':
		return token{kind: tokString, s: l.literal()}
	case '/':
		return token{kind: tokName, s: l.regular()}
	case '<':
		if d, ok := l.byte(); ok && d == '<' {
			return token{kind: tokDictOpen}
		} else if ok {
			l.unread()
		}
		return token{kind: tokString, s: l.hex()}
	case '>':
		if d, ok := l.byte(); ok && d == '>' {
			return token{kind: tokDictClose}
		} else if ok {
			l.unread()
		}
		return l.next()
	case '{', '}', ')':
		return l.next()
	}
	l.unread()
	word := l.regular()
	if n, err := strconv.ParseFloat(word, 64); err == nil {
		return token{kind: tokNumber, n: n}
	}
	return token{kind: tokOp, s: word}
}

// skipSpace skips white space and comments and returns the next byte.
func (l *lexer) skipSpace() (byte, bool) {
	for {
		c, ok := l.byte()
		if !ok {
			return 0, false
		}
		if c == '%' {
			for ok && c != '\n' && c != '\r' {
				c, ok = l.byte()
			}
			continue
		}
		if !isWhite(c) {
			return c, true
		}
	}
}

// regular reads a run of regular characters, with #xx escapes of names
// left as they are.
func (l *lexer) regular() string {
	var b strings.Builder
	for {
		c, ok := l.byte()
		if !ok {
			return b.String()
		}
		if isWhite(c) || isDelim(c) {
			l.unread()
			return b.String()
		}
		if b.Len() < maxToken {
			b.WriteByte(c)
		}
	}
}

// literal reads a (string) after its opening parenthesis.
func (l *lexer) literal() string {
	var b strings.Builder
	depth := 1
	for {
		c, ok := l.byte()
		if !ok {
			return b.String()
		}
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return b.String()
			}
		case '\\':
			c, ok = l.escape()
			if !ok {
				continue
			}
		}
		if b.Len() < maxToken {
			b.WriteByte(c)
		}
	}
}

// escape reads what follows a backslash in a literal string; ok is false
// for an escaped line break, which stands for nothing.
func (l *lexer) escape() (byte, bool) {
	c, ok := l.byte()
	if !ok {
		return 0, false
	}
	switch c {
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case '\r':
		if d, ok := l.byte(); ok && d != '\n' {
			l.unread()
		}
		return 0, false
	case '\n':
		return 0, false
	}
	if c < '0' || c > '7' {
		return c, true
	}
	n := int(c - '0')
	for i := 0; i < 2; i++ {
		d, ok := l.byte()
		if !ok {
			break
		}
		if d < '0' || d > '7' {
			l.unread()
			break
		}
		n = n*8 + int(d-'0')
	}
	return byte(n), true
}

// hex reads a <hex string> after its opening bracket.
func (l *lexer) hex() string {
	var b strings.Builder
	hi, half := 0, false
	for {
		c, ok := l.byte()
		if !ok || c == '>' {
			break
		}
		v := unhex(c)
		if v < 0 {
			continue
		}
		if half {
			if b.Len() < maxToken {
				b.WriteByte(byte(hi<<4 | v))
			}
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		b.WriteByte(byte(hi << 4))
	}
	return b.String()
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// skipInlineImage skips the data of an inline image, after its ID
// operator, up to and including the EI that ends it.
func (l *lexer) skipInlineImage() {
	var prev [3]byte // the last bytes read: white, 'E', 'I'
	for {
		c, ok := l.byte()
		if !ok {
			return
		}
		if isWhite(prev[0]) && prev[1] == 'E' && prev[2] == 'I' && (isWhite(c) || isDelim(c)) {
			l.unread()
			return
		}
		prev = [3]byte{prev[1], prev[2], c}
	}
}
