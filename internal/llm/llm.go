// Package llm is the model layer of ajans: the Provider interface that every
// model adapter implements, the request and response it speaks, and the
// Registry that turns a model name such as "openai/gpt-4o-mini" into a
// provider and the model's name at that provider.
//
// Adapters live in subpackages (openai, …); the deterministic mock model
// that `ajans serve --dev`, tests and benchmarks talk to is in mock.
// Providers return *ajans.Error: EUPSTREAM when the provider answered with an
// error, a bad body or too late, EUNAVAILABLE when it cannot be reached. A
// call cancelled by the caller returns an error for which
// errors.Is(err, context.Canceled) holds.
package llm

import "context"

// Roles of a Message.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one turn of the conversation sent to a model.
type Message struct {
	Role    string // RoleSystem, RoleUser or RoleAssistant
	Content string
	Images  []Image // images shown with a user message, to models that see
}

// Image is an image's bytes and media type ("image/png", "image/jpeg", …).
type Image struct {
	MIME string
	Data []byte
}

// Request asks a model to continue a conversation.
type Request struct {
	Model     string // the model's name at the provider, without the provider prefix
	Messages  []Message
	MaxTokens int // cap on output tokens; 0 leaves it to the provider
}

// Response is a model's answer with the provider's usage report.
type Response struct {
	Content          string
	PromptTokens     int
	CompletionTokens int
	FinishReason     string // "stop", "length", …
}

// Provider is a source of model completions.
type Provider interface {
	// Name returns the provider's name, the part of a model name before the
	// first slash.
	Name() string

	// Complete sends req and returns the model's answer. Errors are
	// *ajans.Error, as the package documentation describes.
	Complete(ctx context.Context, req Request) (*Response, error)
}

// ImageRequest asks a model to draw an image.
type ImageRequest struct {
	Model  string // the model's name at the provider, without the provider prefix
	Prompt string
	Size   string // "1024x1024", …; "" leaves it to the provider
}

// ImageGenerator is a provider that also makes images, through an
// OpenAI-compatible images/generations endpoint or the like.
type ImageGenerator interface {
	// GenerateImage returns one image for req. Errors are *ajans.Error,
	// as the package documentation describes.
	GenerateImage(ctx context.Context, req ImageRequest) (*Image, error)
}
