package catalog

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/ajans/ajans"
)

// FuzzParse checks that Parse never panics, and that whatever it accepts
// keeps the promises of a valid catalog and applies to the default team
// without a panic.
func FuzzParse(f *testing.F) {
	seeds := []string{
		defaultYAML,
		"",
		"replace: true\nassistants: []\n",
		"assistants:\n  - {id: 3, enabled: false}\n",
		entry("    capabilities: [chat, image]\n    model: a/b\n"),
		entry("    descriptions: {tr: \"Işık\", en: \"Light\"}\n    enabled: false\n"),
		"assistants:\n  - &a {id: 1}\n  - *a\n",
		"assistants: {id: 1}\n",
		"- [1, 2]\n",
		"assistants:\n  - id: 9223372036854775807\n    names: {tr: x, en: y}\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	def := mustParse(f, defaultYAML).Assistants

	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		checkCatalog(t, c)
		if _, err := apply(def, c); err != nil && len(c.Disable) == 0 {
			t.Errorf("apply without disable marks failed: %v", err)
		}
	})
}

// checkCatalog checks the promises of a catalog that Parse accepted.
func checkCatalog(t *testing.T, c *Catalog) {
	t.Helper()
	seen := map[int64]bool{}
	for _, id := range c.Disable {
		if id < 1 || seen[id] {
			t.Errorf("disable mark with id %d: below 1 or repeated", id)
		}
		seen[id] = true
	}
	for _, a := range c.Assistants {
		if a.ID < 1 || seen[a.ID] {
			t.Errorf("assistant with id %d: below 1 or repeated", a.ID)
		}
		seen[a.ID] = true
		checkAccepted(t, a)
	}
}

// checkAccepted checks one assistant that Parse accepted.
func checkAccepted(t *testing.T, a ajans.Assistant) {
	t.Helper()
	if a.Names["tr"] == "" || a.Names["en"] == "" {
		t.Errorf("assistant %d lacks a tr or en name: %v", a.ID, a.Names)
	}
	if a.Enabled && a.SystemPrompt == "" {
		t.Errorf("enabled assistant %d has no system prompt", a.ID)
	}
	if len(a.Capabilities) == 0 {
		t.Errorf("assistant %d has no capabilities", a.ID)
	}
	for _, c := range a.Capabilities {
		if !slices.Contains(knownCapabilities(), c) {
			t.Errorf("assistant %d has unknown capability %q", a.ID, c)
		}
	}
	for _, s := range a.Names {
		if !utf8.ValidString(s) {
			t.Errorf("assistant %d has a name that is not UTF-8: %q", a.ID, s)
		}
	}
}
