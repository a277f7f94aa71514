package llm

import (
	"slices"
	"strings"

	"github.com/ajans/ajans"
)

// Registry maps provider names to providers and resolves model names of the
// form "provider/model-name". It is read-only once made and safe for
// concurrent use.
type Registry struct {
	defaultModel string
	providers    map[string]Provider
}

// NewRegistry returns a registry of providers, keyed by their Name, that
// resolves the empty model name to defaultModel. Nil providers are skipped;
// of two providers with the same name the later one wins.
func NewRegistry(defaultModel string, providers ...Provider) *Registry {
	r := &Registry{defaultModel: defaultModel, providers: make(map[string]Provider)}
	for _, p := range providers {
		if p != nil {
			r.providers[p.Name()] = p
		}
	}
	return r
}

// Len returns the number of providers.
func (r *Registry) Len() int { return len(r.providers) }

// DefaultModel returns the model name that Resolve uses for "".
func (r *Registry) DefaultModel() string { return r.defaultModel }

// Resolve returns the provider and the provider's own model name for model,
// which is "provider/model-name" or "" for the default model. The name is
// split at the first slash, so the model-name part may hold slashes itself
// ("openrouter/meta-llama/llama-3-8b").
func (r *Registry) Resolve(model string) (Provider, string, error) {
	if len(r.providers) == 0 {
		return nil, "", ajans.Errorf(ajans.EUNAVAILABLE, "No model provider is configured. "+
			"Set AJANS_OPENAI_BASE_URL (and AJANS_OPENAI_API_KEY) or run `ajans serve --dev`.")
	}
	if model == "" {
		model = r.defaultModel
	}
	if model == "" {
		return nil, "", ajans.Errorf(ajans.EUNAVAILABLE, "No default model is configured. "+
			"Name one as provider/model-name, for example openai/gpt-4o-mini.")
	}

	name, rest, ok := strings.Cut(model, "/")
	if !ok || name == "" || rest == "" {
		return nil, "", ajans.Errorf(ajans.EINVALID,
			"The model %q is not of the form provider/model-name, for example openai/gpt-4o-mini.",
			model)
	}
	p, ok := r.providers[name]
	if !ok {
		return nil, "", ajans.Errorf(ajans.EUNAVAILABLE,
			"The model provider %q is not configured. Configured providers: %s.",
			name, strings.Join(r.Names(), ", "))
	}
	return p, rest, nil
}

// Names returns the provider names in sorted order.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.providers))
	for n := range r.providers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
