package extract

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
)

// docxText reads the body of a Word document: paragraphs on lines of their
// own, tabs and breaks kept, the cells of a table row separated by tabs.
// Deleted text of tracked changes and field codes are left out.
func docxText(r io.ReaderAt, size int64, lim Limits, out *textBuf) error {
	a, err := openArchive(r, size, lim)
	if err != nil {
		return err
	}
	var inText, inTabs bool
	cells := 0 // depth of table cells
	return a.walk("word/document.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tabs":
				inTabs = true
			case "tab":
				if !inTabs {
					return out.WriteString("\t")
				}
			case "br", "cr":
				return out.WriteString("\n")
			case "tc":
				cells++
			}
		case xml.EndElement:
			return docxEnd(out, t.Name.Local, &inText, &inTabs, &cells)
		case xml.CharData:
			if inText {
				return out.WriteString(string(t))
			}
		}
		return nil
	})
}

// docxEnd handles the end of a Word element.
func docxEnd(out *textBuf, local string, inText, inTabs *bool, cells *int) error {
	switch local {
	case "t":
		*inText = false
	case "tabs":
		*inTabs = false
	case "p":
		if *cells == 0 {
			return out.WriteString("\n")
		}
		if r := out.lastRune(); r != ' ' && r != '\t' && r != '\n' {
			return out.WriteString(" ")
		}
	case "tc":
		*cells--
		return out.WriteString("\t")
	case "tr":
		return out.WriteString("\n")
	}
	return nil
}

// pptxText reads the text of each slide, in the order of the slides'
// numbers, under a heading naming the slide.
func pptxText(r io.ReaderAt, size int64, lim Limits, out *textBuf) error {
	a, err := openArchive(r, size, lim)
	if err != nil {
		return err
	}
	for _, s := range slides(a) {
		if err := out.WriteString(fmt.Sprintf("# Slide %d\n", s.n)); err != nil {
			return err
		}
		if err := slideText(a, s.name, out); err != nil {
			return err
		}
		if err := out.WriteString("\n"); err != nil {
			return err
		}
	}
	return nil
}

var slideName = regexp.MustCompile(`^ppt/slides/slide([0-9]{1,6})\.xml$`)

type slide struct {
	n    int
	name string
}

// slides lists the archive's slides by number.
func slides(a *archive) []slide {
	var out []slide
	for name := range a.files {
		if m := slideName.FindStringSubmatch(name); m != nil {
			n, _ := strconv.Atoi(m[1])
			out = append(out, slide{n, name})
		}
	}
	slices.SortFunc(out, func(x, y slide) int { return x.n - y.n })
	return out
}

// slideText reads the text runs of one slide, a line per paragraph.
func slideText(a *archive, name string, out *textBuf) error {
	inText := false
	return a.walk(name, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "br":
				return out.WriteString("\n")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				return out.newline()
			}
		case xml.CharData:
			if inText {
				return out.WriteString(string(t))
			}
		}
		return nil
	})
}
