package extract

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/ledongthuc/pdf"
)

// pdfText reads the text layer of each page. The PDF's object structure
// is read with github.com/ledongthuc/pdf; the content streams and ToUnicode
// maps are read by this package, within the budget of unpacked bytes. A
// PDF of scanned pages has no text layer and ends as ErrNoText in Text.
func pdfText(r io.ReaderAt, size int64, lim Limits, out *textBuf) (err error) {
	defer func() {
		// The library panics on some malformed files.
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	doc, err := pdf.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	b := newBudget(lim.MaxUnpacked)
	pages := min(doc.NumPage(), lim.MaxPages)
	for i := 1; i <= pages; i++ {
		p := doc.Page(i)
		if p.V.IsNull() {
			continue
		}
		if err := pageText(p, b, out); err != nil {
			return err
		}
		if err := out.WriteString("\n\n"); err != nil {
			return err
		}
	}
	return nil
}

// pageText shows the text of one page's content streams.
func pageText(p pdf.Page, b *budget, out *textBuf) error {
	contents := p.V.Key("Contents")
	var streams []pdf.Value
	switch contents.Kind() {
	case pdf.Stream:
		streams = []pdf.Value{contents}
	case pdf.Array:
		for i := 0; i < contents.Len() && i < 1000; i++ {
			streams = append(streams, contents.Index(i))
		}
	}
	readers := make([]io.Reader, 0, len(streams))
	for _, s := range streams {
		// A space between streams, which may split an operator.
		readers = append(readers, b.reader(s.Reader()), newlineReader())
	}
	ts := &textState{out: out, fonts: fonts(p.Resources(), b), res: p.Resources(), b: b}
	return ts.run(newLexer(io.MultiReader(readers...)))
}

// streamError returns the error that ended a content stream: ErrBomb as
// it is, anything else as ErrCorrupt.
func streamError(err error) error {
	if err == nil || errors.Is(err, ErrBomb) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

func newlineReader() io.Reader { return &oneByte{c: '\n'} }

type oneByte struct {
	c    byte
	done bool
}

func (o *oneByte) Read(p []byte) (int, error) {
	if o.done || len(p) == 0 {
		return 0, io.EOF
	}
	p[0], o.done = o.c, true
	return 1, nil
}

// decoder turns a font's codes into text.
type decoder interface{ Decode(raw string) string }

// fonts returns the decoders of the page's fonts: their ToUnicode map, or
// else the library's reading of their encoding.
func fonts(res pdf.Value, b *budget) map[string]decoder {
	out := map[string]decoder{}
	dict := res.Key("Font")
	for i, name := range dict.Keys() {
		if i >= 1000 {
			break
		}
		f := dict.Key(name)
		if tu := f.Key("ToUnicode"); tu.Kind() == pdf.Stream {
			if m := parseCMap(b.reader(tu.Reader())); m != nil {
				out[name] = m
				continue
			}
		}
		font := &pdf.Font{V: f}
		out[name] = libDecoder{font.Encoder()}
	}
	return out
}

type libDecoder struct{ enc pdf.TextEncoding }

func (d libDecoder) Decode(raw string) string { return d.enc.Decode(raw) }

// textState follows the text operators of a content stream.
type textState struct {
	out     *textBuf
	fonts   map[string]decoder
	font    decoder
	y, lead float64 // the current line's position, and the leading
	lastY   float64 // the line of the text shown last
	shown   bool    // whether text was shown on this page
	moved   bool    // whether the position moved along the line since then

	res   pdf.Value // the resources of the page or form being read
	b     *budget
	depth int // of forms within forms
}

// maxFormDepth caps how deep forms (XObjects) drawn by forms are read.
const maxFormDepth = 4

// form shows the text of the form XObject called name, with its own
// resources, and goes on with the state it leaves.
func (ts *textState) form(name string) error {
	x := ts.res.Key("XObject").Key(name)
	if ts.depth >= maxFormDepth || x.Kind() != pdf.Stream || x.Key("Subtype").Name() != "Form" {
		return nil
	}
	inner := *ts
	inner.depth++
	if res := x.Key("Resources"); res.Kind() == pdf.Dict {
		inner.res, inner.fonts = res, fonts(res, ts.b)
	}
	err := inner.run(newLexer(ts.b.reader(x.Reader())))
	ts.shown, ts.lastY, ts.moved = inner.shown, inner.lastY, inner.moved
	return err
}

// run interprets the stream, collecting operands until each operator.
func (ts *textState) run(l *lexer) error {
	var args []token
	var arr []token
	inArray, dictDepth := false, 0
	for {
		t := l.next()
		switch t.kind {
		case tokEOF:
			return streamError(l.err)
		case tokDictOpen:
			dictDepth++
		case tokDictClose:
			dictDepth = max(0, dictDepth-1)
		case tokArrayOpen:
			inArray, arr = true, arr[:0]
		case tokArrayClose:
			inArray = false
			args = append(args, token{kind: tokArrayOpen})
		case tokOp:
			if dictDepth > 0 {
				continue
			}
			if err := ts.op(t.s, args, arr, l); err != nil {
				return err
			}
			args = args[:0]
		default:
			if dictDepth > 0 {
				continue
			}
			if inArray && len(arr) < 1<<16 {
				arr = append(arr, t)
			} else if !inArray && len(args) < 64 {
				args = append(args, t)
			}
		}
	}
}

// op applies one operator; arr holds the elements of the last array.
func (ts *textState) op(op string, args, arr []token, l *lexer) error {
	switch op {
	case "ID":
		l.skipInlineImage()
	case "Do":
		if len(args) >= 1 && args[0].kind == tokName {
			return ts.form(args[0].s)
		}
	case "BT":
		ts.y, ts.moved = 0, true
	case "Tf":
		if len(args) >= 1 && args[0].kind == tokName {
			ts.font = ts.fonts[args[0].s]
		}
	case "TL":
		ts.lead = num(args, 0)
	case "Td", "TD":
		ts.move(num(args, 0), num(args, 1), op == "TD")
	case "Tm":
		ts.y, ts.moved = num(args, 5), true
	case "T*":
		ts.y -= ts.lead
	case "Tj":
		return ts.show(str(args, 0))
	case "'", "\"":
		ts.y -= ts.lead
		return ts.show(str(args, len(args)-1))
	case "TJ":
		return ts.showArray(arr)
	}
	return nil
}

func (ts *textState) move(tx, ty float64, setLead bool) {
	ts.y += ty
	if tx != 0 {
		ts.moved = true
	}
	if setLead {
		ts.lead = -ty
	}
}

// show writes a string in the current font, on a new line when the
// position moved to another line, after a space when it moved along one.
func (ts *textState) show(raw string) error {
	if raw == "" || ts.font == nil {
		return nil
	}
	text := ts.font.Decode(raw)
	if text == "" {
		return nil
	}
	var err error
	switch {
	case !ts.shown:
	case math.Abs(ts.y-ts.lastY) > 1:
		err = ts.out.newline()
	case ts.moved && !endsInSpace(ts.out) && text[0] != ' ':
		err = ts.out.WriteString(" ")
	}
	if err != nil {
		return err
	}
	ts.shown, ts.lastY, ts.moved = true, ts.y, false
	return ts.out.WriteString(text)
}

// showArray writes the strings of a TJ array; a gap wider than a fifth of
// the font size between two of them counts as a space.
func (ts *textState) showArray(arr []token) error {
	for _, t := range arr {
		switch t.kind {
		case tokString:
			if err := ts.show(t.s); err != nil {
				return err
			}
		case tokNumber:
			if t.n < -200 && ts.shown {
				ts.moved = true
			}
		}
	}
	return nil
}

func endsInSpace(t *textBuf) bool {
	r := t.lastRune()
	return r == ' ' || r == '\n' || r == '\t' || r == 0
}

// num returns the i-th operand as a number, 0 when it is not one.
func num(args []token, i int) float64 {
	if i < 0 || i >= len(args) || args[i].kind != tokNumber {
		return 0
	}
	return args[i].n
}

// str returns the i-th operand as a string, "" when it is not one.
func str(args []token, i int) string {
	if i < 0 || i >= len(args) || args[i].kind != tokString {
		return ""
	}
	return args[i].s
}
