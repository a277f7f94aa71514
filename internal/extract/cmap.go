package extract

import (
	"io"
	"strings"
	"unicode/utf16"
)

// cmap is a font's ToUnicode map (ISO 32000-1, 9.10.3): from character
// codes of one to four bytes to Unicode text.
type cmap struct {
	spaces []codeRange       // the code space: which byte strings are codes
	chars  map[uint32]string // bfchar: one code, its text
	ranges []bfRange         // bfrange: a run of codes
	widths map[int]bool      // the code lengths mapped, when no code space is given
}

type codeRange struct{ lo, hi string }

type bfRange struct {
	lo, hi uint32
	n      int      // code length in bytes
	base   []rune   // text of lo; later codes add to its last rune
	list   []string // or one text per code
}

// maxRangeList caps the texts a bfrange array may give.
const maxRangeList = 1 << 16

// parseCMap reads a CMap stream. It keeps what it understood of a broken
// one; a CMap without mappings is nil.
func parseCMap(r io.Reader) *cmap {
	m := &cmap{chars: map[uint32]string{}, widths: map[int]bool{}}
	l := newLexer(r)
	var args []token
	for {
		t := l.next()
		switch t.kind {
		case tokEOF:
			if len(m.chars) == 0 && len(m.ranges) == 0 {
				return nil
			}
			return m
		case tokOp:
			m.op(t.s, args)
			args = args[:0]
		case tokArrayOpen:
			args = append(args, token{kind: tokArrayOpen})
		default:
			if len(args) < 3*maxRangeList {
				args = append(args, t)
			}
		}
	}
}

// op applies the CMap operator op to the operands before it.
func (m *cmap) op(op string, args []token) {
	switch op {
	case "endcodespacerange":
		for i := 0; i+1 < len(args); i += 2 {
			if args[i].kind == tokString && len(args[i].s) == len(args[i+1].s) {
				m.spaces = append(m.spaces, codeRange{args[i].s, args[i+1].s})
			}
		}
	case "endbfchar":
		for i := 0; i+1 < len(args); i += 2 {
			if code, ok := codeOf(args[i].s); ok && args[i+1].kind == tokString {
				m.chars[code] = utf16Text(args[i+1].s)
				m.widths[len(args[i].s)] = true
			}
		}
	case "endbfrange":
		m.bfRanges(args)
	}
}

// bfRanges reads the operands of a bfrange section: lo hi text, or
// lo hi [text text …].
func (m *cmap) bfRanges(args []token) {
	for i := 0; i+2 < len(args); {
		lo, ok1 := codeOf(args[i].s)
		hi, ok2 := codeOf(args[i+1].s)
		r := bfRange{lo: lo, hi: hi, n: len(args[i].s)}
		i += 2
		if args[i].kind == tokArrayOpen {
			for i++; i < len(args) && args[i].kind == tokString && len(r.list) < maxRangeList; i++ {
				r.list = append(r.list, utf16Text(args[i].s))
			}
			if i < len(args) && args[i].kind == tokArrayClose {
				i++
			}
		} else {
			r.base = []rune(utf16Text(args[i].s))
			i++
		}
		if ok1 && ok2 && lo <= hi {
			m.ranges = append(m.ranges, r)
			m.widths[r.n] = true
		}
	}
}

// codeOf reads a code of one to four bytes, big-endian.
func codeOf(s string) (uint32, bool) {
	if len(s) == 0 || len(s) > 4 {
		return 0, false
	}
	var c uint32
	for i := 0; i < len(s); i++ {
		c = c<<8 | uint32(s[i])
	}
	return c, true
}

// utf16Text decodes a UTF-16BE string of a CMap.
func utf16Text(s string) string {
	units := make([]uint16, len(s)/2)
	for i := range units {
		units[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return string(utf16.Decode(units))
}

// Decode turns a shown string of codes into text.
func (m *cmap) Decode(raw string) string {
	var b strings.Builder
	for len(raw) > 0 {
		n := m.codeLen(raw)
		code, _ := codeOf(raw[:n])
		b.WriteString(m.lookup(code, n))
		raw = raw[n:]
	}
	return b.String()
}

// codeLen returns the length of the code at the start of raw: the code
// space's, or else the length of the mapped codes, or one byte.
func (m *cmap) codeLen(raw string) int {
	for _, sp := range m.spaces {
		n := len(sp.lo)
		if n <= len(raw) && inSpace(raw[:n], sp) {
			return n
		}
	}
	for n := 1; n <= 4 && n <= len(raw); n++ {
		if m.widths[n] && len(m.spaces) == 0 {
			return n
		}
	}
	return 1
}

// inSpace reports whether each byte of code lies within the range's bytes.
func inSpace(code string, sp codeRange) bool {
	for i := 0; i < len(code); i++ {
		if code[i] < sp.lo[i] || code[i] > sp.hi[i] {
			return false
		}
	}
	return true
}

// lookup returns the text of a code of n bytes; an unmapped code is
// nothing.
func (m *cmap) lookup(code uint32, n int) string {
	if s, ok := m.chars[code]; ok {
		return s
	}
	for _, r := range m.ranges {
		if r.n != n || code < r.lo || code > r.hi {
			continue
		}
		off := code - r.lo
		if r.list != nil {
			if int(off) < len(r.list) {
				return r.list[off]
			}
			return ""
		}
		if len(r.base) == 0 {
			return ""
		}
		out := append([]rune(nil), r.base...)
		out[len(out)-1] += rune(off)
		return string(out)
	}
	return ""
}
