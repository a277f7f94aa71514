package openai

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm"
	sdk "github.com/openai/openai-go/v3"
)

// MaxImageBytes caps an image fetched from a URL the provider answers with.
const MaxImageBytes = 32 << 20

// errNoImage is the cause when an images answer holds no image.
var errNoImage = errors.New("answer has no image")

// GenerateImage asks the endpoint's images/generations for one image. It
// sends no response_format, which GPT image models refuse: they answer
// base64 data, DALL·E models a URL, which is then fetched.
func (p *Provider) GenerateImage(ctx context.Context, req llm.ImageRequest) (*llm.Image, error) {
	params := sdk.ImageGenerateParams{Prompt: req.Prompt, Model: sdk.ImageModel(req.Model),
		N: sdk.Int(1)}
	if req.Size != "" {
		params.Size = sdk.ImageGenerateParamsSize(req.Size)
	}
	callCtx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	res, err := p.images.Generate(callCtx, params)
	if err != nil {
		return nil, p.mapError(ctx, err)
	}
	if len(res.Data) == 0 {
		return nil, ajans.WrapError(ajans.EUPSTREAM, noAnswer, errNoImage)
	}
	var data []byte
	switch img := res.Data[0]; {
	case img.B64JSON != "":
		data, err = base64.StdEncoding.DecodeString(img.B64JSON)
	case img.URL != "":
		data, err = p.fetch(callCtx, img.URL)
	default:
		err = errNoImage
	}
	if err != nil {
		return nil, ajans.WrapError(ajans.EUPSTREAM, badAnswer, err)
	}
	return &llm.Image{MIME: http.DetectContentType(data), Data: data}, nil
}

// fetch downloads an image the provider answered by URL.
func (p *Provider) fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("image url: %w", err)
	}
	res, err := p.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch image: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch image: HTTP %d", res.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, MaxImageBytes+1))
	if err == nil && len(data) > MaxImageBytes {
		err = fmt.Errorf("fetch image: over %d bytes", MaxImageBytes)
	}
	return data, err
}
