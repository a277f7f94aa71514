package render

import (
	"encoding/xml"
	"fmt"
)

// docxStyles is word/styles.xml: Calibri 11 pt text (it has every Turkish
// letter), a title, four heading levels, a quote and a code style.
var docxStyles = xml.Header + `<w:styles xmlns:w="` + wordNS + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/>` +
	`<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="tr-TR"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/>` +
	`</w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>` +
	`</w:style>` +
	docxStyle("Title", "Title", 0, 40, true, false, "") +
	docxStyle("Heading1", "heading 1", 1, 32, true, false, "") +
	docxStyle("Heading2", "heading 2", 2, 28, true, false, "") +
	docxStyle("Heading3", "heading 3", 3, 24, true, false, "") +
	docxStyle("Heading4", "heading 4", 4, 22, true, true, "") +
	docxStyle("Quote", "Quote", 0, 22, false, true, `<w:ind w:left="567"/>`) +
	docxStyle("Code", "Code", 0, 18, false, false,
		`<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>`) +
	`</w:styles>`

// docxStyle returns a paragraph style; outline > 0 makes it a heading
// that Word lists in the navigation pane.
func docxStyle(id, name string, outline, halfPoints int, bold, italic bool, pPr string) string {
	s := `<w:style w:type="paragraph" w:styleId="` + id + `"><w:name w:val="` + name + `"/>` +
		`<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr>`
	if outline > 0 {
		s += fmt.Sprintf(`<w:keepNext/><w:spacing w:before="240" w:after="120"/>`+
			`<w:outlineLvl w:val="%d"/>`, outline-1)
	}
	s += pPr + `</w:pPr><w:rPr>`
	if id == "Code" {
		s += `<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>`
	}
	if bold {
		s += `<w:b/>`
	}
	if italic {
		s += `<w:i/>`
	}
	return s + fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr></w:style>`,
		halfPoints, halfPoints)
}
