package chat

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/llm"
)

// MaxImagePrompt caps the prompt sent to an image model, in characters;
// image models take a few thousand at most.
const MaxImagePrompt = 4000

// sendImage turns the message into an image, for an assistant with the
// image capability: one image for billing.ImageCredits, held before the
// call and settled with the turn like a message.
func (e *Engine) sendImage(ctx context.Context, c *call) (*Reply, error) {
	if !c.req.Plan.Has(ajans.FeatureImageGeneration) {
		return nil, ajans.Errorf(ajans.EFORBIDDEN, "The %s plan does not include image "+
			"generation. Move to a plan that has it to use %s.", c.req.Plan.Name,
			c.asst.Names["en"])
	}
	if e.cfg.Blobs == nil {
		return nil, errNoStorage
	}
	gen, model, err := e.imageModel(c)
	if err != nil {
		return nil, err
	}
	hold, err := e.cfg.Store.PlaceHold(ctx, c.req.Caller.AppID, billing.ImageCredits,
		billing.ImageCredits, e.cfg.Rules.HoldTTL)
	if err != nil {
		return nil, err
	}
	img, err := gen.GenerateImage(ctx, llm.ImageRequest{Model: model,
		Prompt: imagePrompt(c.in.text)})
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = checkImage(img)
	}
	if err != nil {
		e.release(ctx, hold)
		return nil, err
	}

	ext := strings.TrimPrefix(img.MIME, "image/")
	art := artifact(e.newName(ext), ajans.FileImage, Title(c.msg), img.MIME, img.Data)
	turn := e.turn(c, hold, model, &llm.Response{Content: art.file.Name})
	turn.Reply.Files = []ajans.File{art.file}
	turn.Usage.ResponseTokens, turn.Reply.Tokens = 0, 0
	turn.Usage.Credits = billing.ImageCredits
	if err := e.save(ctx, hold, turn, append(c.in.files, art)); err != nil {
		return nil, err
	}
	return &Reply{ChatID: turn.ChatID, Message: art.file.Name, IsImage: true,
		Images: []string{art.file.Name}, RemainingCredit: turn.RemainingCredit,
		Usage: turn.Usage, Notices: c.in.notices}, nil
}

// imageModel returns the generator and model that draw images: the
// configured image model, or else the assistant's.
func (e *Engine) imageModel(c *call) (llm.ImageGenerator, string, error) {
	provider, model := c.provider, c.model
	if e.cfg.ImageModel != "" {
		var err error
		if provider, model, err = e.cfg.Models.Resolve(e.cfg.ImageModel); err != nil {
			return nil, "", err
		}
	}
	gen, ok := provider.(llm.ImageGenerator)
	if !ok {
		return nil, "", ajans.Errorf(ajans.EUNAVAILABLE, "The model provider %q cannot make "+
			"images. Tell the operator to configure an image model.", provider.Name())
	}
	return gen, model, nil
}

// imagePrompt cuts the text to what image models take.
func imagePrompt(text string) string {
	if utf8.RuneCountInString(text) <= MaxImagePrompt {
		return text
	}
	return string([]rune(text)[:MaxImagePrompt])
}

// checkImage refuses an answer that is not an image in a format we serve.
func checkImage(img *llm.Image) error {
	mime := http.DetectContentType(img.Data)
	switch mime {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		img.MIME = mime
		return nil
	}
	return ajans.Errorf(ajans.EUPSTREAM, "The model provider sent an image that could not "+
		"be read (%s). Try again.", mime)
}
