package chat

import (
	"fmt"
	"io"
	"strings"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/extract"
	"github.com/ajans/ajans/internal/llm"
)

// Defaults of the attachment rules.
const (
	// DefaultMaxFiles is how many files one message may carry.
	DefaultMaxFiles = 10
	// DefaultAttachmentTokens is the budget of the attachments' text in one
	// message, shared by its files; text beyond it is cut, with a note.
	DefaultAttachmentTokens = 20_000
	// DefaultMaxImageBytes caps the images of one message together.
	DefaultMaxImageBytes = 20 << 20
	// ImageInputTokens is what an image shown to a model counts as, in
	// message tokens: about what providers charge for an image in detail.
	ImageInputTokens = 1000
)

// input is the user's message as the model sees it: the text with the
// attachments' text, the images, and the files to save with the message.
type input struct {
	text    string
	tokens  int
	images  []llm.Image
	files   []stored
	notices []string
}

// stored is a file to be put in blob storage and recorded: its record,
// and where its bytes are.
type stored struct {
	file ajans.File
	data io.Reader
}

// readAttachments checks each upload against the assistant, reads the
// text of documents (each file's share of the token budget, with a note
// where it was cut) and the bytes of images, and composes the text the
// model reads. Nothing is stored yet.
func (e *Engine) readAttachments(a *ajans.Assistant, msg string,
	uploads []*Upload) (*input, error) {
	in := &input{}
	var b strings.Builder
	b.WriteString(msg)
	budget, texts := e.cfg.AttachmentTokens, countTexts(uploads)
	imageBytes := int64(0)
	for _, u := range uploads {
		f := ajans.File{Name: e.newName(u.Type.Ext), Kind: ajans.FileAttachment, Title: u.Name,
			MIME: u.Type.MIME, Size: u.Size(), SHA256: u.SHA256()}
		if u.Type.Format == extract.FormatImage {
			img, err := e.readImage(a, u, &imageBytes)
			if err != nil {
				return nil, err
			}
			in.images = append(in.images, img)
			b.WriteString("\n\n[Attached image: " + u.Name + "]")
		} else {
			share := budget / texts
			text, used, notice, err := e.readText(u, share)
			if err != nil {
				return nil, err
			}
			budget, texts = budget-used, texts-1
			f.Text = text
			b.WriteString(attachmentBlock(u.Name, text))
			if notice != "" {
				in.notices = append(in.notices, notice)
			}
		}
		in.files = append(in.files, stored{file: f, data: u.reader()})
	}
	in.text = b.String()
	in.tokens = e.cfg.Count(in.text) + ImageInputTokens*len(in.images)
	return in, nil
}

func countTexts(uploads []*Upload) int {
	n := 0
	for _, u := range uploads {
		if u.Type.Format != extract.FormatImage {
			n++
		}
	}
	return n
}

// attachmentBlock is how a file's text is shown to the model, after the
// message: introduced by the file's name.
func attachmentBlock(name, text string) string {
	return "\n\n--- Attached file: " + name + " ---\n" + text + "\n--- End of " + name + " ---"
}

// readImage reads an image for a model that sees.
func (e *Engine) readImage(a *ajans.Assistant, u *Upload, total *int64) (llm.Image, error) {
	if !a.Can(ajans.CapabilityVision) {
		return llm.Image{}, ajans.Errorf(ajans.EINVALID, "%s does not read images, and %q "+
			"is an image. Send it to an assistant that reads images (its capabilities "+
			"list vision), or send text.", a.Names["en"], printable(u.Name))
	}
	*total += u.Size()
	if *total > e.cfg.MaxImageBytes {
		return llm.Image{}, ajans.Errorf(ajans.ETOOLARGE, "The images of one message may "+
			"be %d MB together. Send fewer or smaller images.", e.cfg.MaxImageBytes>>20)
	}
	data, err := io.ReadAll(u.reader())
	if err != nil {
		return llm.Image{}, fmt.Errorf("read image: %w", err)
	}
	return llm.Image{MIME: u.Type.MIME, Data: data}, nil
}

// readText extracts a file's text and cuts it to share tokens. It returns
// the text, the tokens it holds, and a note for the caller when it was cut.
func (e *Engine) readText(u *Upload, share int) (text string, used int, notice string,
	err error) {
	text, truncated, err := extract.Text(u.spool.File, u.Size(), u.Type, e.cfg.Extract)
	if err != nil {
		return "", 0, "", fileError(u.Name, err)
	}
	used = e.cfg.Count(text)
	if used <= share && !truncated {
		return text, used, "", nil
	}
	if used > share {
		text = e.cfg.Truncate(text, share)
		used = e.cfg.Count(text)
	}
	notice = fmt.Sprintf("The file %q is longer than its share of the %d-token budget for "+
		"attachments; only its first %d tokens were sent to the assistant.",
		u.Name, e.cfg.AttachmentTokens, used)
	text += fmt.Sprintf("\n[ajans: the text of %s was cut here; the rest of the file was "+
		"not sent]", u.Name)
	return text, used, notice, nil
}

// CheckFiles returns why a caller on plan may not send files, or nil when
// it may: the plan lacks file upload (EFORBIDDEN), or the server has no
// file storage (EUNAVAILABLE).
func (e *Engine) CheckFiles(plan ajans.Plan) error {
	if !plan.Has(ajans.FeatureFileUpload) {
		return ajans.Errorf(ajans.EFORBIDDEN, "The %s plan does not include file upload. "+
			"Send the message without files, or move to a plan that has it.", plan.Name)
	}
	if e.cfg.Blobs == nil {
		return errNoStorage
	}
	return nil
}

// checkUploads refuses files the plan or the server does not allow.
func (e *Engine) checkUploads(req Request) error {
	if len(req.Attachments) == 0 {
		return nil
	}
	if err := e.CheckFiles(req.Plan); err != nil {
		return err
	}
	if len(req.Attachments) > e.cfg.MaxFiles {
		return ajans.Errorf(ajans.EINVALID, "A message may carry %d files at most; this one "+
			"has %d. Send them over several messages.", e.cfg.MaxFiles, len(req.Attachments))
	}
	return nil
}

var errNoStorage = ajans.Errorf(ajans.EUNAVAILABLE,
	"This server has no file storage configured, so it takes no files and makes none. "+
		"Send text only, or tell the operator.")
