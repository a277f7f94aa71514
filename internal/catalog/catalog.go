// Package catalog holds the AI team: the embedded default catalog of
// assistants, the operator's override file, and the read-only Team the
// server looks assistants up in.
//
// A catalog file is YAML:
//
//	replace: false          # optional; true drops the default team first
//	assistants:
//	  - id: 16
//	    names: {tr: "Yazılım Geliştirici", en: "Software Developer"}
//	    descriptions: {tr: "…", en: "…"}
//	    capabilities: [chat, vision]   # optional, default [chat]
//	    model: "openai/gpt-4o"         # optional, "" is the server's default
//	    enabled: true                  # optional, default true
//	    system_prompt: |
//	      You are …
//
// Load starts from the embedded default (assistants.yaml) and applies the
// operator's file on top of it:
//
//   - with `replace: true` the file's assistants are the whole team;
//   - otherwise an entry with a new id adds an assistant, and an entry with
//     an existing id replaces that assistant wholly (no field-by-field merge);
//   - an entry with only an id and `enabled: false` disables that assistant
//     and keeps the rest of it.
//
// Every full entry needs an id of 1 or more, a "tr" and an "en" name, known
// capabilities and, unless disabled, a system prompt. Unknown keys are errors,
// so a misspelt key never passes silently.
package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ajans/ajans"
	"gopkg.in/yaml.v3"
)

// MaxSize is the largest catalog file, in bytes, that Parse accepts.
const MaxSize = 1 << 20

// Catalog is one parsed catalog file.
type Catalog struct {
	// Replace reports whether the file replaces the whole team it is
	// applied to instead of extending it.
	Replace bool

	// Assistants are the file's full entries, in file order.
	Assistants []ajans.Assistant

	// Disable holds the ids of entries that give only an id and
	// `enabled: false`: they turn off an assistant of the team the file is
	// applied to.
	Disable []int64
}

// catalogFile is the YAML shape of a catalog file.
type catalogFile struct {
	Replace    bool             `yaml:"replace"`
	Assistants []assistantEntry `yaml:"assistants"`
}

// assistantEntry is the YAML shape of one assistant. Pointers tell a
// missing key from a zero value.
type assistantEntry struct {
	ID           *int64            `yaml:"id"`
	Names        map[string]string `yaml:"names"`
	Descriptions map[string]string `yaml:"descriptions"`
	SystemPrompt string            `yaml:"system_prompt"`
	Model        string            `yaml:"model"`
	Capabilities []string          `yaml:"capabilities"`
	Enabled      *bool             `yaml:"enabled"`
}

// Parse parses and validates one catalog file. An empty file (or one of
// comments only) is an empty catalog. Errors name the entry by its
// position, id and line; callers add the file name.
func Parse(data []byte) (*Catalog, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("catalog is %d bytes, over the limit of %d", len(data), MaxSize)
	}

	var f catalogFile
	if err := decodeStrict(data, &f); err != nil {
		return nil, err
	}

	c := &Catalog{Replace: f.Replace}
	seen := make(map[int64]int, len(f.Assistants)) // id → entry number
	for i, e := range f.Assistants {
		if err := c.add(e, i, seen); err != nil {
			// Lines cost a second decoding, so only errors pay for them.
			line := lineAt(entryLines(data), i)
			return nil, fmt.Errorf("%s: %w", entryName(i, e.ID, line), err)
		}
	}
	return c, nil
}

// add validates entry number i and adds it to c as an assistant or as a
// disable mark. seen maps the ids met so far to their entry numbers.
func (c *Catalog) add(e assistantEntry, i int, seen map[int64]int) error {
	if e.ID == nil {
		return errors.New("missing id")
	}
	id := *e.ID
	if id < 1 {
		return fmt.Errorf("id must be 1 or more, not %d", id)
	}
	if prev, dup := seen[id]; dup {
		return fmt.Errorf("duplicate id %d (entry %d has it too)", id, prev+1)
	}
	seen[id] = i

	if e.isDisableMark() {
		c.Disable = append(c.Disable, id)
		return nil
	}
	if e.hasOnlyID() && e.Enabled == nil {
		return errors.New("only an id: add \"enabled: false\" to disable the assistant, " +
			"or give the whole assistant")
	}
	a, err := e.assistant()
	if err != nil {
		return err
	}
	c.Assistants = append(c.Assistants, a)
	return nil
}

// decodeStrict decodes a single YAML document into v, refusing keys that v
// has no field for and any second document.
func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		return nil // no document at all: an empty catalog
	}
	var typeErr *yaml.TypeError
	if errors.As(err, &typeErr) {
		// One line instead of yaml's list, e.g. "line 3: field colour not found …".
		return fmt.Errorf("decode yaml: %s", strings.Join(typeErr.Errors, "; "))
	}
	if err != nil {
		return fmt.Errorf("decode yaml: %w", err)
	}

	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("decode yaml: more than one document (remove the extra ---)")
	}
	return nil
}

// entryLines returns the line of each entry under the top-level key
// "assistants", or nil where the shape is not as expected. It only serves
// error messages, so it never fails.
func entryLines(data []byte) []int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil
	}
	for k := 0; k+1 < len(top.Content); k += 2 {
		key, val := top.Content[k], top.Content[k+1]
		if key.Value != "assistants" || val.Kind != yaml.SequenceNode {
			continue
		}
		lines := make([]int, len(val.Content))
		for i, n := range val.Content {
			lines[i] = n.Line
		}
		return lines
	}
	return nil
}

// lineAt returns lines[i], or 0 when it is unknown.
func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// entryName names entry number i (from 0) for an error message, e.g.
// "assistant entry 3 (id 7, line 40)".
func entryName(i int, id *int64, line int) string {
	s := fmt.Sprintf("assistant entry %d", i+1)
	switch {
	case id != nil && line > 0:
		s += fmt.Sprintf(" (id %d, line %d)", *id, line)
	case id != nil:
		s += fmt.Sprintf(" (id %d)", *id)
	case line > 0:
		s += fmt.Sprintf(" (line %d)", line)
	}
	return s
}
