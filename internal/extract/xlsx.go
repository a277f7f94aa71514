package extract

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// xlsxText reads each sheet of an Excel workbook, in the workbook's order,
// under a heading with the sheet's name: a line per row, the cells
// separated by tabs, in their columns. Values are as stored: numbers and
// dates as numbers, booleans as TRUE and FALSE, formulas as their last
// computed value.
func xlsxText(r io.ReaderAt, size int64, lim Limits, out *textBuf) error {
	a, err := openArchive(r, size, lim)
	if err != nil {
		return err
	}
	strs, err := sharedStrings(a)
	if err != nil {
		return err
	}
	sheets, err := workbookSheets(a)
	if err != nil {
		return err
	}
	for _, s := range sheets {
		if err := out.WriteString("# Sheet: " + s.name + "\n"); err != nil {
			return err
		}
		if err := sheetText(a, s.path, strs, out); err != nil {
			return err
		}
		if err := out.WriteString("\n"); err != nil {
			return err
		}
	}
	return nil
}

// sharedStrings reads the workbook's table of strings, if it has one.
// Phonetic runs (rPh) are left out.
func sharedStrings(a *archive) ([]string, error) {
	if _, ok := a.files["xl/sharedStrings.xml"]; !ok {
		return nil, nil
	}
	var strs []string
	var cur strings.Builder
	inText, inPhonetic := false, false
	err := a.walk("xl/sharedStrings.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inText = true
			case "rPh":
				inPhonetic = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				strs = append(strs, cur.String())
			case "t":
				inText = false
			case "rPh":
				inPhonetic = false
			}
		case xml.CharData:
			if inText && !inPhonetic {
				cur.Write(t)
			}
		}
		return nil
	})
	return strs, err
}

type sheet struct{ name, path string }

// workbookSheets lists the sheets with the archive paths of their parts.
func workbookSheets(a *archive) ([]sheet, error) {
	targets, err := a.relTargets("xl/_rels/workbook.xml.rels", "xl")
	if err != nil {
		return nil, err
	}
	var out []sheet
	err = a.walk("xl/workbook.xml", func(tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		if ok && se.Name.Local == "sheet" {
			if p, ok := targets[attr(se, "id")]; ok {
				out = append(out, sheet{attr(se, "name"), p})
			}
		}
		return nil
	})
	return out, err
}

// maxPad is the most empty cells written before a cell far to the right.
const maxPad = 50

// row collects the cells of one sheet row.
type row struct {
	line  strings.Builder
	col   int // the column written last, 1-based
	cells int
}

func (r *row) add(col int, value string) {
	if col <= r.col {
		col = r.col + 1
	}
	if r.cells > 0 || col > 1 {
		pad := min(col-r.col, maxPad)
		if r.cells == 0 {
			pad--
		}
		r.line.WriteString(strings.Repeat("\t", max(pad, 0)))
	}
	r.line.WriteString(value)
	r.col, r.cells = col, r.cells+1
}

// cell is the cell being read.
type cell struct {
	col        int
	typ, value string
	inValue    bool
	inInline   bool
}

// sheetText writes the non-empty rows of one sheet.
func sheetText(a *archive, path string, strs []string, out *textBuf) error {
	var r row
	var c cell
	return a.walk(path, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				r = row{}
			case "c":
				c = cell{col: column(attr(t, "r")), typ: attr(t, "t")}
			case "v":
				c.inValue = true
			case "t":
				c.inInline = c.typ == "inlineStr"
			}
		case xml.CharData:
			if c.inValue || c.inInline {
				c.value += string(t)
			}
		case xml.EndElement:
			return sheetEnd(t.Name.Local, &r, &c, strs, out)
		}
		return nil
	})
}

func sheetEnd(local string, r *row, c *cell, strs []string, out *textBuf) error {
	switch local {
	case "v":
		c.inValue = false
	case "t":
		c.inInline = false
	case "c":
		if v := cellValue(c, strs); v != "" {
			r.add(c.col, v)
		}
	case "row":
		if r.cells > 0 {
			return out.WriteString(r.line.String() + "\n")
		}
	}
	return nil
}

// cellValue returns the text of a cell of the given type.
func cellValue(c *cell, strs []string) string {
	switch c.typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(c.value))
		if err != nil || i < 0 || i >= len(strs) {
			return ""
		}
		return cleanCell(strs[i])
	case "b":
		if strings.TrimSpace(c.value) == "1" {
			return "TRUE"
		}
		return "FALSE"
	}
	return cleanCell(c.value)
}

// cleanCell keeps a cell on its line: tabs and line breaks become spaces.
func cleanCell(s string) string {
	return strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// column returns the 1-based column of a cell reference such as "AB12",
// or 0 when there is none.
func column(ref string) int {
	col := 0
	for i := 0; i < len(ref) && i < 3; i++ {
		ch := ref[i]
		if ch < 'A' || ch > 'Z' {
			break
		}
		col = col*26 + int(ch-'A'+1)
	}
	return col
}
