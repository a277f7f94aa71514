package catalog

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ajans/ajans"
)

// isDisableMark reports whether e gives only an id and `enabled: false`.
func (e assistantEntry) isDisableMark() bool {
	return e.Enabled != nil && !*e.Enabled && e.hasOnlyID()
}

// hasOnlyID reports whether e gives nothing but an id and perhaps
// `enabled`.
func (e assistantEntry) hasOnlyID() bool {
	return e.Names == nil && e.Descriptions == nil && e.Capabilities == nil &&
		e.SystemPrompt == "" && e.Model == ""
}

// assistant validates a full entry and turns it into an assistant. The
// entry's id has been checked already.
func (e assistantEntry) assistant() (ajans.Assistant, error) {
	a := ajans.Assistant{
		ID:           *e.ID,
		SystemPrompt: strings.TrimSpace(e.SystemPrompt),
		Model:        strings.TrimSpace(e.Model),
		Enabled:      e.Enabled == nil || *e.Enabled,
	}

	var err error
	if a.Names, err = texts(e.Names, "name", "tr", "en"); err != nil {
		return a, err
	}
	if a.Descriptions, err = texts(e.Descriptions, "description"); err != nil {
		return a, err
	}
	if a.Enabled && a.SystemPrompt == "" {
		return a, errors.New("empty system_prompt (an enabled assistant needs one)")
	}
	if err := checkModel(a.Model); err != nil {
		return a, err
	}
	if a.Capabilities, err = capabilities(e.Capabilities); err != nil {
		return a, err
	}
	return a, nil
}

// texts checks a map of language code → text and returns it with the
// texts trimmed. Every language in required must be present; what names
// the kind of text ("name") in errors.
func texts(m map[string]string, what string, required ...string) (map[string]string, error) {
	out := make(map[string]string, len(m))
	for _, lang := range slices.Sorted(maps.Keys(m)) {
		if !isLanguageCode(lang) {
			return nil, fmt.Errorf("%s language %q: want a code such as \"tr\" or \"en\"",
				what, lang)
		}
		text := strings.TrimSpace(m[lang])
		if text == "" {
			return nil, fmt.Errorf("empty %q %s", lang, what)
		}
		out[lang] = text
	}
	for _, lang := range required {
		if _, ok := out[lang]; !ok {
			return nil, fmt.Errorf("missing %q %s", lang, what)
		}
	}
	return out, nil
}

// isLanguageCode reports whether s looks like a language code: "tr", "en",
// "pt-BR", "zh_Hant". It starts with a lowercase letter and holds only
// letters, digits, '-' and '_'.
func isLanguageCode(s string) bool {
	if len(s) < 2 || len(s) > 16 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_'
		if !ok {
			return false
		}
	}
	return true
}

// checkModel checks that model is empty or has the form "provider/model".
func checkModel(model string) error {
	if model == "" {
		return nil
	}
	provider, name, ok := strings.Cut(model, "/")
	if !ok || provider == "" || name == "" || strings.ContainsAny(model, " \t\r\n") {
		return fmt.Errorf("model %q: want \"provider/model\", e.g. \"openai/gpt-4o\", "+
			"or leave it out for the default model", model)
	}
	return nil
}

// knownCapabilities lists every capability an assistant may have.
func knownCapabilities() []string {
	return []string{
		ajans.CapabilityChat,
		ajans.CapabilityVision,
		ajans.CapabilityImage,
		ajans.CapabilityDocument,
	}
}

// capabilities checks an entry's capabilities; none given means chat only.
func capabilities(caps []string) ([]string, error) {
	if len(caps) == 0 {
		return []string{ajans.CapabilityChat}, nil
	}
	known := knownCapabilities()
	for i, c := range caps {
		if !slices.Contains(known, c) {
			return nil, fmt.Errorf("unknown capability %q (known: %s)",
				c, strings.Join(known, ", "))
		}
		if slices.Contains(caps[:i], c) {
			return nil, fmt.Errorf("capability %q listed twice", c)
		}
	}
	return slices.Clone(caps), nil
}
