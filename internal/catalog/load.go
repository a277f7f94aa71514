package catalog

import (
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"github.com/ajans/ajans"
)

// defaultYAML is the default team, shipped inside the binary.
//
//go:embed assistants.yaml
var defaultYAML string

// defaultName names the embedded catalog in error messages.
const defaultName = "assistants.yaml (embedded)"

// Load returns the assistants of the team, sorted by id: the embedded
// default catalog and then, if overridePath is not empty, the operator's
// catalog file applied on top of it (see the package comment for how).
// Disabled assistants are part of the result with Enabled false. Errors
// name the file and the entry at fault.
func Load(overridePath string) ([]ajans.Assistant, error) {
	def, err := Parse([]byte(defaultYAML))
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", defaultName, err)
	}
	team, err := apply(nil, def)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", defaultName, err)
	}

	if overridePath != "" {
		if team, err = applyFile(team, overridePath); err != nil {
			return nil, err
		}
	}

	if !slices.ContainsFunc(team, func(a ajans.Assistant) bool { return a.Enabled }) {
		return nil, errors.New("catalog: no enabled assistant is left; the team would be empty")
	}
	return team, nil
}

// applyFile reads the catalog file at path and applies it to team.
func applyFile(team []ajans.Assistant, path string) ([]ajans.Assistant, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	if team, err = apply(team, c); err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	return team, nil
}

// readFile reads at most MaxSize+1 bytes of the file at path, enough for
// Parse to tell that a larger file is too large.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open catalog: %w", err)
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read catalog %s: %w", path, err)
	}
	return data, nil
}

// apply returns team with catalog c applied to it, sorted by id. The
// assistants of team are not modified.
func apply(team []ajans.Assistant, c *Catalog) ([]ajans.Assistant, error) {
	byID := make(map[int64]ajans.Assistant, len(team)+len(c.Assistants))
	if !c.Replace {
		for _, a := range team {
			byID[a.ID] = a
		}
	}
	for _, a := range c.Assistants {
		byID[a.ID] = a
	}
	for _, id := range c.Disable {
		a, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("disable assistant %d: the team has no assistant %d", id, id)
		}
		a.Enabled = false
		byID[id] = a
	}

	return slices.SortedFunc(maps.Values(byID), func(a, b ajans.Assistant) int {
		return cmp.Compare(a.ID, b.ID)
	}), nil
}
