package render

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// writeDOCX writes a Word document: the package parts a Word processor
// needs, with styles for the title, headings, quotes and code, and tables
// with borders of their own.
func writeDOCX(w io.Writer, doc Document, blocks []block) error {
	zw := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRels},
		{"docProps/core.xml", docxCore(doc.Title, doc.Created)},
		{"word/_rels/document.xml.rels", docxDocRels},
		{"word/styles.xml", docxStyles},
		{"word/document.xml", docxBody(doc, blocks)},
	}
	for _, p := range parts {
		f, err := zw.Create(p.name)
		if err != nil {
			return fmt.Errorf("write docx: %w", err)
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return fmt.Errorf("write docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write docx: %w", err)
	}
	return nil
}

// esc escapes text for XML; characters XML cannot hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func docxCore(title string, created time.Time) string {
	t := created.UTC().Format(time.RFC3339)
	return xml.Header + `<cp:coreProperties ` +
		`xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(title) + `</dc:title><dc:creator>ajans</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + t + `</dcterms:created>` +
		`</cp:coreProperties>`
}

// docxBody returns word/document.xml.
func docxBody(doc Document, blocks []block) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<w:document xmlns:w="` + wordNS + `"><w:body>`)
	if doc.Title != "" {
		b.WriteString(para("Title", "", []run{{text: doc.Title}}))
	}
	if skipTitle(doc, blocks) {
		blocks = blocks[1:]
	}
	for _, bl := range blocks {
		b.WriteString(docxBlock(bl))
	}
	// A4 with 2.5 cm margins.
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>` +
		`<w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418" ` +
		`w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>`)
	return b.String()
}

const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func docxBlock(bl block) string {
	switch bl.kind {
	case blockHeading:
		return para("Heading"+strconv.Itoa(min(bl.level, 4)), "", bl.runs)
	case blockItem:
		ind := fmt.Sprintf(`<w:ind w:left="%d" w:hanging="360"/>`, 360*bl.level+360)
		return para("", ind, append([]run{{text: itemMark(bl) + "\t"}}, bl.runs...))
	case blockCode:
		return para("Code", "", []run{{text: bl.code, code: true}})
	case blockQuote:
		return para("Quote", "", bl.runs)
	case blockRule:
		return `<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" ` +
			`w:color="999999"/></w:pBdr></w:pPr></w:p>`
	case blockTable:
		return docxTable(bl.rows)
	}
	return para("", "", bl.runs)
}

// itemMark returns the bullet or the number of a list item.
func itemMark(bl block) string {
	if bl.number > 0 {
		return strconv.Itoa(bl.number) + "."
	}
	return [...]string{"•", "◦", "▪"}[(bl.level-1)%3]
}

// para returns a paragraph of the given style and extra properties.
func para(style, props string, runs []run) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	if style != "" || props != "" {
		b.WriteString("<w:pPr>")
		if style != "" {
			b.WriteString(`<w:pStyle w:val="` + style + `"/>`)
		}
		b.WriteString(props + "</w:pPr>")
	}
	for _, r := range runs {
		b.WriteString(docxRun(r))
	}
	b.WriteString("</w:p>")
	return b.String()
}

// docxRun returns a run; line breaks and tabs become Word's own.
func docxRun(r run) string {
	var b strings.Builder
	b.WriteString("<w:r>")
	if r.bold || r.italic || r.code {
		b.WriteString("<w:rPr>")
		if r.code {
			b.WriteString(`<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>`)
		}
		if r.bold {
			b.WriteString("<w:b/>")
		}
		if r.italic {
			b.WriteString("<w:i/>")
		}
		b.WriteString("</w:rPr>")
	}
	for i, line := range strings.Split(r.text, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString("<w:tab/>")
			}
			if part != "" {
				b.WriteString(`<w:t xml:space="preserve">` + esc(part) + "</w:t>")
			}
		}
	}
	b.WriteString("</w:r>")
	return b.String()
}

// docxTable returns a table with single borders; the first row is bold.
func docxTable(rows [][][]run) string {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="808080"/>`)
	}
	b.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
	for range cols {
		b.WriteString(fmt.Sprintf(`<w:gridCol w:w="%d"/>`, 9000/cols))
	}
	b.WriteString(`</w:tblGrid>`)
	for i, r := range rows {
		b.WriteString("<w:tr>")
		for c := range cols {
			var runs []run
			if c < len(r) {
				runs = r[c]
			}
			if i == 0 {
				runs = bolden(runs)
			}
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>` +
				para("", "", runs) + `</w:tc>`)
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>" + para("", "", nil))
	return b.String()
}

func bolden(runs []run) []run {
	out := make([]run, len(runs))
	for i, r := range runs {
		r.bold = true
		out[i] = r
	}
	return out
}

const docxContentTypes = xml.Header +
	`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/` +
	`vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/` +
	`vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/` +
	`vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/` +
	`vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const docxRels = xml.Header +
	`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/` +
	`relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/` +
	`relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const docxDocRels = xml.Header +
	`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/` +
	`relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`
