package catalog

import (
	"cmp"
	"maps"
	"slices"

	"github.com/ajans/ajans"
)

// Team is the set of enabled assistants the server offers. It is
// read-only after NewTeam and safe for concurrent use. The assistants it
// hands out are shared: callers must not modify them.
type Team struct {
	byID map[int64]*ajans.Assistant
	list []*ajans.Assistant // the same assistants, by id
}

// NewTeam returns a team of the enabled assistants in as. It keeps copies,
// so later changes to as do not reach the team. If an id repeats, the
// last assistant with it wins.
func NewTeam(as []ajans.Assistant) *Team {
	t := &Team{byID: make(map[int64]*ajans.Assistant, len(as))}
	for _, a := range as {
		if !a.Enabled {
			delete(t.byID, a.ID) // a later disabled entry wins too
			continue
		}
		t.byID[a.ID] = clone(a)
	}

	t.list = slices.SortedFunc(maps.Values(t.byID), func(a, b *ajans.Assistant) int {
		return cmp.Compare(a.ID, b.ID)
	})
	return t
}

// Get returns the enabled assistant with the given id, and whether there
// is one.
func (t *Team) Get(id int64) (*ajans.Assistant, bool) {
	a, ok := t.byID[id]
	return a, ok
}

// List returns the enabled assistants sorted by id. The slice is the
// caller's own; the assistants are shared.
func (t *Team) List() []*ajans.Assistant {
	return slices.Clone(t.list)
}

// clone returns a deep copy of a.
func clone(a ajans.Assistant) *ajans.Assistant {
	a.Names = maps.Clone(a.Names)
	a.Descriptions = maps.Clone(a.Descriptions)
	a.Capabilities = slices.Clone(a.Capabilities)
	return &a
}
