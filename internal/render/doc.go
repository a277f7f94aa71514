// Package render turns the Markdown a model writes into documents a person
// downloads: DOCX (Word), PDF with embedded Go fonts so Turkish letters
// render everywhere, XLSX for tables (github.com/xuri/excelize/v2), and the
// Markdown itself. Markdown is parsed with github.com/yuin/goldmark (with
// GitHub tables) into a small document model that every writer shares.
package render

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// blockKind is the kind of a block of a document.
type blockKind int

const (
	blockPara blockKind = iota
	blockHeading
	blockItem // a list item; level is its depth, number its number (0: bullet)
	blockCode
	blockTable
	blockRule
	blockQuote
)

// block is one block of a document: a paragraph, a heading, a list item,
// a code block, a table or a rule.
type block struct {
	kind   blockKind
	level  int
	number int
	runs   []run
	code   string
	rows   [][][]run // a table's rows of cells; the first row is the header
}

// run is inline text in one style.
type run struct {
	text               string
	bold, italic, code bool
}

// plain returns the text of runs without styles.
func plain(runs []run) string {
	var b strings.Builder
	for _, r := range runs {
		b.WriteString(r.text)
	}
	return b.String()
}

// maxBlocks caps the blocks of one document.
const maxBlocks = 100_000

// parse reads Markdown into blocks.
func parse(md string) []block {
	src := []byte(md)
	p := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)).Parser()
	root := p.Parse(text.NewReader(src))
	b := &builder{src: src}
	b.blocks(root, 0)
	return b.out
}

type builder struct {
	src []byte
	out []block
}

func (b *builder) add(bl block) {
	if len(b.out) < maxBlocks {
		b.out = append(b.out, bl)
	}
}

// blocks adds the block children of n; depth is the list depth.
func (b *builder) blocks(n ast.Node, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b.block(c, depth)
	}
}

func (b *builder) block(n ast.Node, depth int) {
	switch n := n.(type) {
	case *ast.Heading:
		b.add(block{kind: blockHeading, level: n.Level, runs: b.inline(n)})
	case *ast.Paragraph, *ast.TextBlock:
		b.add(block{kind: blockPara, runs: b.inline(n)})
	case *ast.List:
		b.list(n, depth)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		b.add(block{kind: blockCode, code: b.lines(n)})
	case *ast.HTMLBlock:
		b.add(block{kind: blockCode, code: b.lines(n)})
	case *ast.ThematicBreak:
		b.add(block{kind: blockRule})
	case *ast.Blockquote:
		start := len(b.out)
		b.blocks(n, depth)
		for i := start; i < len(b.out); i++ {
			if b.out[i].kind == blockPara {
				b.out[i].kind = blockQuote
			}
		}
	case *east.Table:
		b.add(block{kind: blockTable, rows: b.table(n)})
	default:
		b.blocks(n, depth)
	}
}

// list adds the items of a list: the first block of each item carries the
// bullet or number, the rest follow as they are.
func (b *builder) list(l *ast.List, depth int) {
	num := l.Start
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		start := len(b.out)
		b.blocks(item, depth+1)
		if start < len(b.out) && b.out[start].kind == blockPara {
			b.out[start].kind, b.out[start].level = blockItem, depth+1
			if l.IsOrdered() {
				b.out[start].number = num
			}
		}
		num++
	}
}

// lines returns the raw lines of a code or HTML block.
func (b *builder) lines(n ast.Node) string {
	var s strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		s.Write(seg.Value(b.src))
	}
	return strings.TrimRight(s.String(), "\n")
}

// table returns the rows of a table, the header first.
func (b *builder) table(t *east.Table) [][][]run {
	var rows [][][]run
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells [][]run
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, b.inline(c))
		}
		rows = append(rows, cells)
	}
	return rows
}

// inline returns the styled text of n's inline children.
func (b *builder) inline(n ast.Node) []run {
	var out []run
	b.inlines(n, run{}, &out)
	return merge(out)
}

func (b *builder) inlines(n ast.Node, style run, out *[]run) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b.inlineNode(c, style, out)
	}
}

func (b *builder) inlineNode(n ast.Node, style run, out *[]run) {
	emit := func(s string) {
		r := style
		r.text = s
		*out = append(*out, r)
	}
	switch n := n.(type) {
	case *ast.Text:
		emit(string(n.Value(b.src)))
		switch {
		case n.HardLineBreak():
			emit("\n")
		case n.SoftLineBreak():
			emit(" ")
		}
	case *ast.String:
		emit(string(n.Value))
	case *ast.CodeSpan:
		style.code = true
		b.inlines(n, style, out)
	case *ast.Emphasis:
		if n.Level >= 2 {
			style.bold = true
		} else {
			style.italic = true
		}
		b.inlines(n, style, out)
	case *ast.AutoLink:
		emit(string(n.URL(b.src)))
	case *ast.RawHTML:
		// Tags the model wrote are not rendered.
	default:
		b.inlines(n, style, out)
	}
}

// merge joins neighbouring runs of the same style.
func merge(runs []run) []run {
	var out []run
	for _, r := range runs {
		if r.text == "" {
			continue
		}
		if n := len(out); n > 0 && sameStyle(out[n-1], r) {
			out[n-1].text += r.text
			continue
		}
		out = append(out, r)
	}
	return out
}

func sameStyle(a, b run) bool {
	return a.bold == b.bold && a.italic == b.italic && a.code == b.code
}
