// Package openai is the model provider for any endpoint that speaks the
// OpenAI chat-completions API: OpenAI itself, Ollama, vLLM, LM Studio,
// OpenRouter, and ajans's own mock model. It is built on the official SDK,
// github.com/openai/openai-go/v3, and takes its retries with backoff on 408,
// 409, 429 and 5xx answers and on broken connections from it.
//
// The provider reads no environment variables: everything comes from Config,
// so an OPENAI_API_KEY in the environment never reaches a local endpoint.
// The API key is sent only in the Authorization header; it is never logged
// and never part of a returned error.
package openai

import (
	"context"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/tokens"
	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// Names of the request field that caps output tokens.
const (
	MaxTokensField           = "max_tokens"            // Ollama, vLLM, LM Studio, older models
	MaxCompletionTokensField = "max_completion_tokens" // current OpenAI models
)

// Defaults for a zero Config.
const (
	DefaultName       = "openai"
	DefaultBaseURL    = "https://api.openai.com/v1"
	DefaultTimeout    = 2 * time.Minute
	DefaultMaxRetries = 2

	// MaxIdleConnsPerHost is how many idle connections to the endpoint the
	// default client keeps; net/http's default of 2 makes busy servers
	// open a new connection for most calls.
	MaxIdleConnsPerHost = 64
)

// Config describes one OpenAI-compatible endpoint.
type Config struct {
	Name    string // provider name in model names ("openai/gpt-4o"); default "openai"
	BaseURL string // up to and including "/v1"; default DefaultBaseURL
	APIKey  string // sent as a bearer token; empty sends none

	// Timeout bounds a whole call, retries and their waits included;
	// 0 means DefaultTimeout.
	Timeout time.Duration

	// MaxRetries is how often a failed attempt is tried again; 0 means
	// DefaultMaxRetries, a negative number means never.
	MaxRetries int

	// MaxTokensField names the field that carries Request.MaxTokens:
	// MaxTokensField (the default) or MaxCompletionTokensField.
	MaxTokensField string

	// HTTPClient sends the requests; nil means a client of the provider's
	// own that keeps up to MaxIdleConnsPerHost connections open.
	HTTPClient *http.Client
}

// Validate reports a Config that New would have to guess about.
func (c Config) Validate() error {
	switch c.MaxTokensField {
	case "", MaxTokensField, MaxCompletionTokensField:
		return nil
	default:
		return ajans.Errorf(ajans.EINVALID, "The max tokens field %q is neither %s nor %s.",
			c.MaxTokensField, MaxTokensField, MaxCompletionTokensField)
	}
}

// Provider completes chats at one OpenAI-compatible endpoint.
type Provider struct {
	name          string
	timeout       time.Duration
	completionCap bool // send max_completion_tokens instead of max_tokens
	chat          sdk.ChatCompletionService
	images        sdk.ImageService
	http          *http.Client // fetches images answered by URL
}

var (
	_ llm.Provider       = (*Provider)(nil)
	_ llm.ImageGenerator = (*Provider)(nil)
)

// New returns a provider for cfg, filling in the defaults. A MaxTokensField
// that Validate rejects is treated as MaxTokensField.
func New(cfg Config) *Provider {
	cfg = withDefaults(cfg)
	opts := []option.RequestOption{
		option.WithBaseURL(cfg.BaseURL),
		option.WithMaxRetries(cfg.MaxRetries),
	}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	return &Provider{
		name:          cfg.Name,
		timeout:       cfg.Timeout,
		completionCap: cfg.MaxTokensField == MaxCompletionTokensField,
		// The service alone, not sdk.NewClient, which would read OPENAI_*
		// variables from the environment.
		chat:   sdk.NewChatCompletionService(opts...),
		images: sdk.NewImageService(opts...),
		http:   cfg.HTTPClient,
	}
}

// withDefaults returns cfg with its zero fields set.
func withDefaults(cfg Config) Config {
	if cfg.Name == "" {
		cfg.Name = DefaultName
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = defaultHTTPClient()
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	return cfg
}

// defaultHTTPClient returns a client with its own transport, tuned to keep
// connections to one endpoint open.
func defaultHTTPClient() *http.Client {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return &http.Client{}
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = MaxIdleConnsPerHost
	return &http.Client{Transport: t}
}

// Name returns the provider's name.
func (p *Provider) Name() string { return p.name }

// Complete sends req to the endpoint's chat completions and returns the
// first choice. When the endpoint reports no usage, the counts come from
// package tokens instead.
func (p *Provider) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	params, err := p.params(req)
	if err != nil {
		return nil, err
	}

	callCtx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	res, err := p.chat.New(callCtx, params)
	if err != nil {
		return nil, p.mapError(ctx, err)
	}
	if len(res.Choices) == 0 {
		return nil, ajans.WrapError(ajans.EUPSTREAM, badAnswer, errNoChoices)
	}
	return response(req, res), nil
}

// params turns req into the SDK's request.
func (p *Provider) params(req llm.Request) (sdk.ChatCompletionNewParams, error) {
	params := sdk.ChatCompletionNewParams{Model: req.Model}
	for _, m := range req.Messages {
		switch m.Role {
		case llm.RoleSystem:
			params.Messages = append(params.Messages, sdk.SystemMessage(m.Content))
		case llm.RoleUser:
			params.Messages = append(params.Messages, userMessage(m))
		case llm.RoleAssistant:
			params.Messages = append(params.Messages, sdk.AssistantMessage(m.Content))
		default:
			return params, ajans.Errorf(ajans.EINVALID, "The message role %q is not one of "+
				"system, user or assistant.", m.Role)
		}
	}
	if req.MaxTokens > 0 {
		if p.completionCap {
			params.MaxCompletionTokens = sdk.Int(int64(req.MaxTokens))
		} else {
			params.MaxTokens = sdk.Int(int64(req.MaxTokens))
		}
	}
	return params, nil
}

// userMessage returns a user message: plain text, or text and images as
// content parts with the images inline as data URLs.
func userMessage(m llm.Message) sdk.ChatCompletionMessageParamUnion {
	if len(m.Images) == 0 {
		return sdk.UserMessage(m.Content)
	}
	parts := []sdk.ChatCompletionContentPartUnionParam{sdk.TextContentPart(m.Content)}
	for _, img := range m.Images {
		url := "data:" + img.MIME + ";base64," + base64.StdEncoding.EncodeToString(img.Data)
		parts = append(parts, sdk.ImageContentPart(
			sdk.ChatCompletionContentPartImageImageURLParam{URL: url}))
	}
	return sdk.UserMessage(parts)
}

// response turns the SDK's answer into ours, counting tokens itself where
// the endpoint left usage out.
func response(req llm.Request, res *sdk.ChatCompletion) *llm.Response {
	choice := res.Choices[0]
	out := &llm.Response{
		Content:          choice.Message.Content,
		PromptTokens:     int(res.Usage.PromptTokens),
		CompletionTokens: int(res.Usage.CompletionTokens),
		FinishReason:     choice.FinishReason,
	}
	if out.PromptTokens == 0 && out.CompletionTokens == 0 {
		for _, m := range req.Messages {
			out.PromptTokens += tokens.Count(m.Content)
		}
		out.CompletionTokens = tokens.Count(out.Content)
	}
	return out
}
