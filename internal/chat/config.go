package chat

import (
	"crypto/rand"
	"io"
	"log/slog"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/blob"
	"github.com/ajans/ajans/internal/extract"
	"github.com/ajans/ajans/internal/tokens"
)

// Config is what an Engine is built from.
type Config struct {
	Store    Store
	Team     Team
	Models   Models
	Rules    billing.Rules
	Count    func(string) int         // counts a text's tokens; default tokens.Count
	Truncate func(string, int) string // cuts a text to a number of tokens; default tokens.Truncate

	// ContextTokens is the budget for earlier turns resent as context.
	ContextTokens int
	// HistoryMessages is the most earlier turns ever read for context.
	HistoryMessages int

	// Blobs keeps the bytes of attachments and generated files; without
	// it the engine takes no files and makes none.
	Blobs blob.Store
	// SpoolDir holds uploads while their message is sent; "" is the
	// system's temporary folder.
	SpoolDir string
	// MaxFileBytes caps one file; default ajans.MaxFileBytes (30 MB).
	MaxFileBytes int64
	// MaxFiles caps the files of one message; default DefaultMaxFiles.
	MaxFiles int
	// AttachmentTokens is the budget of the attachments' text in one
	// message; default DefaultAttachmentTokens.
	AttachmentTokens int
	// MaxImageBytes caps the images of one message; default DefaultMaxImageBytes.
	MaxImageBytes int64
	// Extract bounds the reading of each file; zero fields take the
	// defaults of package extract.
	Extract extract.Limits
	// ImageModel ("provider/model") draws images for assistants with the
	// image capability; "" uses the assistant's own model.
	ImageModel string

	Rand io.Reader        // randomness for file names; default crypto/rand
	Now  func() time.Time // the time documents are dated; default time.Now
	Log  *slog.Logger
}

// Engine runs chats. It is safe for concurrent use.
type Engine struct {
	cfg Config
}

// New returns an engine; zero budgets and limits take their defaults.
func New(cfg Config) *Engine {
	if cfg.ContextTokens == 0 {
		cfg.ContextTokens = 8000
	}
	if cfg.HistoryMessages == 0 {
		cfg.HistoryMessages = 50
	}
	if cfg.Count == nil {
		cfg.Count = tokens.Count
	}
	if cfg.Truncate == nil {
		cfg.Truncate = tokens.Truncate
	}
	if cfg.MaxFileBytes <= 0 {
		cfg.MaxFileBytes = ajans.MaxFileBytes
	}
	if cfg.MaxFiles <= 0 {
		cfg.MaxFiles = DefaultMaxFiles
	}
	if cfg.AttachmentTokens <= 0 {
		cfg.AttachmentTokens = DefaultAttachmentTokens
	}
	if cfg.MaxImageBytes <= 0 {
		cfg.MaxImageBytes = DefaultMaxImageBytes
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Engine{cfg: cfg}
}
