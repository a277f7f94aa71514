package render

import (
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

// PDF layout, in millimetres and points.
const (
	pdfMargin   = 20.0
	pdfFontSize = 11.0
	pdfLine     = 5.5 // the height of a line of body text
)

// writePDF writes an A4 PDF with the Go fonts (BSD licensed, from
// golang.org/x/image) embedded as Unicode TrueType subsets, so every
// letter of Turkish (ç ğ ı İ ö ş ü) shows and can be copied and searched.
func writePDF(w io.Writer, doc Document, blocks []block) (err error) {
	defer func() {
		// fpdf panics on some input it cannot lay out.
		if r := recover(); r != nil {
			err = fmt.Errorf("write pdf: %v", r)
		}
	}()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	p.SetAutoPageBreak(true, pdfMargin)
	p.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.AddUTF8FontFromBytes("go", "I", goitalic.TTF)
	p.AddUTF8FontFromBytes("go", "BI", gobolditalic.TTF)
	p.AddUTF8FontFromBytes("mono", "", gomono.TTF)
	p.SetTitle(doc.Title, true)
	p.SetCreator("ajans", true)
	p.SetCreationDate(doc.Created)
	p.SetFooterFunc(func() {
		p.SetY(-12)
		p.SetFont("go", "", 8)
		p.SetTextColor(128, 128, 128)
		p.CellFormat(0, 5, fmt.Sprint(p.PageNo()), "", 0, "C", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()

	pw := &pdfWriter{p: p}
	if doc.Title != "" {
		pw.heading(0, []run{{text: doc.Title}})
	}
	if skipTitle(doc, blocks) {
		blocks = blocks[1:]
	}
	for _, bl := range blocks {
		pw.block(bl)
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

type pdfWriter struct {
	p *fpdf.Fpdf
}

func (pw *pdfWriter) block(bl block) {
	p := pw.p
	switch bl.kind {
	case blockHeading:
		pw.heading(bl.level, bl.runs)
	case blockItem:
		indent := 6.0 * float64(bl.level)
		p.SetLeftMargin(pdfMargin + indent)
		p.SetX(pdfMargin + indent - 5)
		pw.runs(append([]run{{text: itemMark(bl) + " "}}, bl.runs...), pdfFontSize)
		p.SetLeftMargin(pdfMargin)
		pw.endPara(1.5)
	case blockCode:
		p.SetFont("mono", "", 9)
		p.SetFillColor(242, 242, 242)
		p.MultiCell(0, 4.5, bl.code, "", "L", true)
		pw.endPara(3)
	case blockQuote:
		p.SetLeftMargin(pdfMargin + 8)
		p.SetX(pdfMargin + 8)
		pw.runs(italic(bl.runs), pdfFontSize)
		p.SetLeftMargin(pdfMargin)
		pw.endPara(3)
	case blockRule:
		y := p.GetY() + 2
		p.SetDrawColor(160, 160, 160)
		p.Line(pdfMargin, y, 210-pdfMargin, y)
		p.SetY(y + 4)
	case blockTable:
		pw.table(bl.rows)
	default:
		pw.runs(bl.runs, pdfFontSize)
		pw.endPara(3)
	}
}

// heading writes a heading; level 0 is the document's title.
func (pw *pdfWriter) heading(level int, runs []run) {
	size := [...]float64{20, 16, 14, 12.5, 11.5}[min(level, 4)]
	pw.p.Ln(2)
	pw.runs(bolden(runs), size)
	pw.endPara(2)
}

// runs writes styled text that flows and wraps across its runs.
func (pw *pdfWriter) runs(runs []run, size float64) {
	line := pdfLine * size / pdfFontSize
	for _, r := range runs {
		family, style := "go", ""
		if r.code {
			family = "mono"
		} else {
			if r.bold {
				style += "B"
			}
			if r.italic {
				style += "I"
			}
		}
		pw.p.SetFont(family, style, size)
		pw.p.Write(line, r.text)
	}
}

// endPara ends the current line and leaves space after it.
func (pw *pdfWriter) endPara(space float64) {
	pw.p.Ln(-1)
	pw.p.Ln(space)
}

func italic(runs []run) []run {
	out := make([]run, len(runs))
	for i, r := range runs {
		r.italic = true
		out[i] = r
	}
	return out
}

// table draws a table in equal columns; each row is as tall as its
// tallest cell, and a row that does not fit starts a new page.
func (pw *pdfWriter) table(rows [][][]run) {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	p := pw.p
	width := (210 - 2*pdfMargin) / float64(cols)
	const lh, pad = 5.0, 1.5
	p.SetDrawColor(128, 128, 128)
	for i, r := range rows {
		style := ""
		if i == 0 {
			style = "B"
		}
		p.SetFont("go", style, 10)
		cells := make([]string, cols)
		height := lh
		for c := range cols {
			if c < len(r) {
				cells[c] = plain(r[c])
			}
			height = max(height, float64(len(p.SplitText(cells[c], width-2*pad)))*lh)
		}
		height += 2 * pad
		if p.GetY()+height > 297-pdfMargin {
			p.AddPage()
			p.SetFont("go", style, 10)
		}
		pw.row(cells, width, height, pad, lh, i == 0)
	}
	p.Ln(4)
}

// row draws one table row of cells at the current position.
func (pw *pdfWriter) row(cells []string, width, height, pad, lh float64, header bool) {
	p := pw.p
	y := p.GetY()
	for c, text := range cells {
		x := pdfMargin + float64(c)*width
		if header {
			p.SetFillColor(235, 235, 235)
			p.Rect(x, y, width, height, "FD")
		} else {
			p.Rect(x, y, width, height, "D")
		}
		p.SetXY(x+pad, y+pad)
		p.MultiCell(width-2*pad, lh, strings.TrimSpace(text), "", "L", false)
	}
	p.SetXY(pdfMargin, y+height)
}
