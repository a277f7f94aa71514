package ajans

import "time"

// File kinds.
const (
	FileAttachment = "attachment" // uploaded with a user's message
	FileImage      = "image"      // an image the platform generated
	FileDocument   = "document"   // a document the platform rendered
)

// MaxFileBytes is the largest file a message may carry: 30 MB.
const MaxFileBytes = 30 << 20

// File is a stored file: an attachment of a user's message, or an
// artifact (a generated image or document) of an assistant's reply. Its
// bytes live in blob storage under Name.
type File struct {
	ID        int64
	Name      string // unguessable public name and blob key, e.g. "3f9c…e1.pdf"
	AppID     int64
	ChatID    int64
	MessageID int64
	Kind      string // FileAttachment, FileImage or FileDocument
	Title     string // the client's name of an attachment, or a document's title
	MIME      string // sniffed from the content, never taken from the client
	Size      int64
	SHA256    string // hex
	Text      string // of an attachment: the text sent to the model in its place
	CreatedAt time.Time
}
