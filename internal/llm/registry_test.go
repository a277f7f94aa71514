package llm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm"
)

// named is a Provider that only has a name.
type named string

func (n named) Name() string { return string(n) }

func (n named) Complete(context.Context, llm.Request) (*llm.Response, error) {
	return &llm.Response{}, nil
}

func TestRegistryResolve(t *testing.T) {
	reg := llm.NewRegistry("local/llama3", named("openai"), named("local"), named("openrouter"))

	tests := []struct {
		name         string
		model        string
		wantProvider string
		wantModel    string
	}{
		{"plain", "openai/gpt-4o-mini", "openai", "gpt-4o-mini"},
		{"default", "", "local", "llama3"},
		{"slashes in the model name", "openrouter/meta-llama/llama-3-8b",
			"openrouter", "meta-llama/llama-3-8b"},
		{"colon in the model name", "local/qwen2.5:7b", "local", "qwen2.5:7b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, model, err := reg.Resolve(tt.model)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.model, err)
			}
			if p.Name() != tt.wantProvider || model != tt.wantModel {
				t.Errorf("Resolve(%q) = %s, %q; want %s, %q",
					tt.model, p.Name(), model, tt.wantProvider, tt.wantModel)
			}
		})
	}
}

func TestRegistryResolveErrors(t *testing.T) {
	tests := []struct {
		name     string
		reg      *llm.Registry
		model    string
		wantCode string
		wantText string // part of the message
	}{
		{"no providers", llm.NewRegistry("openai/gpt-4o"), "openai/gpt-4o",
			ajans.EUNAVAILABLE, "AJANS_OPENAI_BASE_URL"},
		{"no providers, nil only", llm.NewRegistry("", nil), "",
			ajans.EUNAVAILABLE, "ajans serve --dev"},
		{"unknown provider", llm.NewRegistry("", named("openai")), "anthropic/claude",
			ajans.EUNAVAILABLE, `"anthropic"`},
		{"no default", llm.NewRegistry("", named("openai")), "",
			ajans.EUNAVAILABLE, "No default model"},
		{"no slash", llm.NewRegistry("", named("openai")), "gpt-4o",
			ajans.EINVALID, "provider/model-name"},
		{"empty model part", llm.NewRegistry("", named("openai")), "openai/",
			ajans.EINVALID, "provider/model-name"},
		{"empty provider part", llm.NewRegistry("", named("openai")), "/gpt-4o",
			ajans.EINVALID, "provider/model-name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := tt.reg.Resolve(tt.model)
			if err == nil {
				t.Fatalf("Resolve(%q) = %v, want an error", tt.model, p)
			}
			if code := ajans.ErrorCode(err); code != tt.wantCode {
				t.Errorf("code = %q, want %q", code, tt.wantCode)
			}
			if msg := ajans.ErrorMessage(err); !strings.Contains(msg, tt.wantText) {
				t.Errorf("message %q does not mention %q", msg, tt.wantText)
			}
		})
	}
}

func TestRegistryLen(t *testing.T) {
	tests := []struct {
		name string
		reg  *llm.Registry
		want int
	}{
		{"none", llm.NewRegistry(""), 0},
		{"nil skipped", llm.NewRegistry("", nil, named("a")), 1},
		{"same name once", llm.NewRegistry("", named("a"), named("a"), named("b")), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.reg.Len(); got != tt.want {
				t.Errorf("Len() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestRegistryNames(t *testing.T) {
	reg := llm.NewRegistry("", named("b"), named("a"))
	if got := strings.Join(reg.Names(), ","); got != "a,b" {
		t.Errorf("Names() = %s, want a,b", got)
	}
}
