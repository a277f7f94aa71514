package render

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// writeXLSX writes a workbook with excelize: each Markdown table on a
// sheet of its own, named after the heading above it, with a bold header
// row and numbers as numbers. A document without tables becomes one sheet
// of its lines.
func writeXLSX(w io.Writer, doc Document, blocks []block) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Title: doc.Title, Creator: "ajans",
		Language: "tr-TR"}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	sx := &sheets{f: f, bold: bold, used: map[string]bool{}}
	heading := ""
	for _, bl := range blocks {
		switch bl.kind {
		case blockHeading:
			heading = plain(bl.runs)
		case blockTable:
			if err := sx.table(heading, bl.rows); err != nil {
				return err
			}
		}
	}
	if sx.n == 0 {
		if err := sx.lines(doc.Title, blocks); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

type sheets struct {
	f    *excelize.File
	bold int
	n    int // sheets made
	used map[string]bool
}

// next returns a new sheet named after name: the workbook's first sheet
// renamed, or one added.
func (s *sheets) next(name string) (string, error) {
	name = s.uniqueName(name)
	s.n++
	if s.n == 1 {
		return name, s.f.SetSheetName("Sheet1", name)
	}
	_, err := s.f.NewSheet(name)
	return name, err
}

// uniqueName makes name a valid sheet name (at most 31 characters, none
// of []:*?/\) not used before.
func (s *sheets) uniqueName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) || r < ' ' {
			return ' '
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		name = "Tablo " + strconv.Itoa(s.n+1)
	}
	name = cutRunes(name, 31)
	base := name
	for i := 2; s.used[strings.ToLower(name)]; i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		name = cutRunes(base, 31-len(suffix)) + suffix
	}
	s.used[strings.ToLower(name)] = true
	return name
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// table writes a table on a new sheet.
func (s *sheets) table(name string, rows [][][]run) error {
	sheet, err := s.next(name)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	widths := map[int]int{}
	for i, r := range rows {
		for c, cell := range r {
			text := strings.TrimSpace(plain(cell))
			if err := s.cell(sheet, c+1, i+1, text, i == 0); err != nil {
				return err
			}
			widths[c] = max(widths[c], utf8.RuneCountInString(text))
		}
	}
	for c, w := range widths {
		col, _ := excelize.ColumnNumberToName(c + 1)
		s.f.SetColWidth(sheet, col, col, float64(min(max(w, 8), 60))+2)
	}
	return nil
}

// number matches the plain decimal numbers written as numbers.
var number = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{1,15})?$`)

// cell writes one cell: a number when the text is one, else the text.
func (s *sheets) cell(sheet string, col, row int, text string, header bool) error {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if number.MatchString(text) && !header {
		n, _ := strconv.ParseFloat(text, 64)
		err = s.f.SetCellFloat(sheet, ref, n, -1, 64)
	} else {
		err = s.f.SetCellStr(sheet, ref, text)
	}
	if err == nil && header {
		err = s.f.SetCellStyle(sheet, ref, ref, s.bold)
	}
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// lines writes the plain text of every block down the first column.
func (s *sheets) lines(title string, blocks []block) error {
	sheet, err := s.next(title)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	row := 1
	for _, bl := range blocks {
		text := plain(bl.runs)
		if bl.kind == blockCode {
			text = bl.code
		}
		for _, line := range strings.Split(text, "\n") {
			if strings.TrimSpace(line) == "" || row > 1_000_000 {
				continue
			}
			if err := s.cell(sheet, 1, row, line, bl.kind == blockHeading); err != nil {
				return err
			}
			row++
		}
	}
	s.f.SetColWidth(sheet, "A", "A", 100)
	return nil
}
