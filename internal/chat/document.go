package chat

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/render"
)

// MaxDocuments caps the documents made from one reply.
const MaxDocuments = 5

// docTag is how a model marks a document in its reply, when the assistant
// has the document capability:
//
//	<ajans-document format="pdf" title="Teklif">
//	# Teklif
//	…Markdown…
//	</ajans-document>
var (
	docTag  = regexp.MustCompile(`(?s)<ajans-document([^>]{0,500})>\n?(.*?)\n?</ajans-document>`)
	docAttr = regexp.MustCompile(`([a-z]+)\s*=\s*"([^"]*)"`)
)

// documentTool is added to the system prompt of an assistant with the
// document capability whose caller's plan has document generation.
const documentTool = `You can hand the user downloadable files. When the user wants a ` +
	`document, report, letter, table or similar as a file, write its full content in ` +
	`Markdown between a line <ajans-document format="docx" title="Its title"> and a line ` +
	`</ajans-document>. format is docx (Word), pdf, xlsx (each Markdown table becomes a ` +
	`sheet) or md. Each such block becomes a file the user can download; say briefly what ` +
	`you made outside the block.`

// outputPrompt is added to the system prompt when the caller asked for
// the reply as a file of format %s.
const outputPrompt = `The user asked for this answer as a %s file. Write the document ` +
	`itself in Markdown (headings, lists and tables as needed); it is turned into the file.`

// checkOutput returns the format the caller asked the reply in, if any,
// refusing an unknown one or a plan without document generation.
func checkOutput(req Request) (render.Format, error) {
	if strings.TrimSpace(req.Output) == "" {
		return "", nil
	}
	f, ok := render.ParseFormat(req.Output)
	if !ok {
		return "", ajans.Errorf(ajans.EINVALID, "output must be one of docx, pdf, xlsx or md, "+
			"not %q.", printable(req.Output))
	}
	if !req.Plan.Has(ajans.FeatureDocumentGeneration) {
		return "", ajans.Errorf(ajans.EFORBIDDEN, "The %s plan does not include document "+
			"generation. Send the message without output, or move to a plan that has it.",
			req.Plan.Name)
	}
	return f, nil
}

// offersDocuments reports whether the model is told it can make files.
func offersDocuments(c *call) bool {
	return c.output == "" && c.asst.Can(ajans.CapabilityDocument) &&
		c.req.Plan.Has(ajans.FeatureDocumentGeneration)
}

// documentPrompt returns what the system prompt says about documents.
func documentPrompt(c *call) string {
	switch {
	case c.output != "":
		return fmt.Sprintf(outputPrompt, strings.ToUpper(string(c.output)))
	case offersDocuments(c):
		return documentTool
	}
	return ""
}

// documents renders the documents of a reply: all of it in the format the
// caller asked for, or else each document block the model wrote. It
// returns them with the reply's text, the blocks' tags taken out.
func (e *Engine) documents(c *call, reply string) ([]stored, string, error) {
	type doc struct {
		format render.Format
		title  string
		md     string
	}
	var docs []doc
	text := reply
	if offersDocuments(c) || c.output != "" {
		text = docTag.ReplaceAllStringFunc(reply, func(block string) string {
			m := docTag.FindStringSubmatch(block)
			f, title := blockAttrs(m[1])
			if c.output == "" && len(docs) < MaxDocuments {
				docs = append(docs, doc{f, title, m[2]})
			}
			return m[2]
		})
	}
	if c.output != "" {
		docs = []doc{{format: c.output, md: text}}
	}
	var out []stored
	for _, d := range docs {
		title := d.title
		if title == "" {
			title = firstHeading(d.md, Title(c.msg))
		}
		var buf bytes.Buffer
		err := render.Render(&buf, d.format, render.Document{Title: title, Markdown: d.md,
			Created: e.cfg.Now()})
		if err != nil {
			return nil, "", fmt.Errorf("render %s: %w", d.format, err)
		}
		out = append(out, artifact(e.newName(string(d.format)), ajans.FileDocument, title,
			d.format.MIME(), buf.Bytes()))
	}
	return out, text, nil
}

// blockAttrs reads the format (docx when missing or unknown) and title of
// a document block.
func blockAttrs(attrs string) (render.Format, string) {
	f, title := render.DOCX, ""
	for _, m := range docAttr.FindAllStringSubmatch(attrs, -1) {
		switch m[1] {
		case "format":
			if pf, ok := render.ParseFormat(m[2]); ok {
				f = pf
			}
		case "title":
			title = strings.TrimSpace(m[2])
		}
	}
	return f, title
}

var heading = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(.+?)[ \t#]*$`)

// firstHeading returns the text of the first Markdown heading of md, or
// otherwise.
func firstHeading(md, otherwise string) string {
	if m := heading.FindStringSubmatch(md); m != nil {
		return Title(m[1])
	}
	return otherwise
}
