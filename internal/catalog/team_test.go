package catalog

import (
	"sync"
	"testing"

	"github.com/ajans/ajans"
	"github.com/google/go-cmp/cmp"
)

// assistant returns a small valid assistant.
func assistant(id int64, name string, enabled bool) ajans.Assistant {
	return ajans.Assistant{
		ID:           id,
		Names:        map[string]string{"tr": name, "en": name},
		SystemPrompt: "Help.",
		Capabilities: []string{ajans.CapabilityChat},
		Enabled:      enabled,
	}
}

// listIDs returns the ids of the team's list.
func listIDs(t *Team) []int64 {
	var out []int64
	for _, a := range t.List() {
		out = append(out, a.ID)
	}
	return out
}

func TestTeamGet(t *testing.T) {
	team := NewTeam([]ajans.Assistant{
		assistant(3, "Üç", true),
		assistant(1, "Bir", true),
		assistant(2, "İki", false),
	})
	tests := []struct {
		name string
		id   int64
		want string // "" for not found
	}{
		{"enabled", 3, "Üç"},
		{"first", 1, "Bir"},
		{"disabled", 2, ""},
		{"unknown", 99, ""},
		{"zero", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := team.Get(tt.id)
			if ok != (tt.want != "") {
				t.Fatalf("Get(%d) found %v, want %v", tt.id, ok, tt.want != "")
			}
			if ok && a.Names["tr"] != tt.want {
				t.Errorf("Get(%d) is named %q, want %q", tt.id, a.Names["tr"], tt.want)
			}
		})
	}
}

func TestTeamList(t *testing.T) {
	team := NewTeam([]ajans.Assistant{
		assistant(16, "On altı", true),
		assistant(2, "İki", true),
		assistant(9, "Dokuz", false),
		assistant(5, "Beş", true),
	})
	if diff := cmp.Diff([]int64{2, 5, 16}, listIDs(team)); diff != "" {
		t.Errorf("List ids (-want +got):\n%s", diff)
	}

	// The caller's slice is its own.
	list := team.List()
	list[0], list[2] = list[2], nil
	if diff := cmp.Diff([]int64{2, 5, 16}, listIDs(team)); diff != "" {
		t.Errorf("List changed by a caller (-want +got):\n%s", diff)
	}
}

func TestTeamRepeatedID(t *testing.T) {
	tests := []struct {
		name  string
		as    []ajans.Assistant
		want  string // "" for not offered
		count int
	}{
		{"last enabled wins", []ajans.Assistant{
			assistant(4, "old", true), assistant(4, "new", true),
		}, "new", 1},
		{"later disabled wins", []ajans.Assistant{
			assistant(4, "old", true), assistant(4, "off", false),
		}, "", 0},
		{"later enabled wins", []ajans.Assistant{
			assistant(4, "off", false), assistant(4, "on", true),
		}, "on", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := NewTeam(tt.as)
			a, ok := team.Get(4)
			if ok != (tt.want != "") || ok && a.Names["tr"] != tt.want {
				t.Errorf("Get(4) = %v, %v; want name %q", a, ok, tt.want)
			}
			if n := len(team.List()); n != tt.count {
				t.Errorf("List has %d, want %d", n, tt.count)
			}
		})
	}
}

func TestTeamKeepsCopies(t *testing.T) {
	as := []ajans.Assistant{assistant(1, "Bir", true)}
	team := NewTeam(as)

	as[0].Names["tr"] = "changed"
	as[0].Capabilities[0] = ajans.CapabilityImage
	as[0].SystemPrompt = "changed"

	a, _ := team.Get(1)
	if diff := cmp.Diff(assistant(1, "Bir", true), *a); diff != "" {
		t.Errorf("team changed with its input (-want +got):\n%s", diff)
	}
}

func TestTeamConcurrent(t *testing.T) {
	team := NewTeam(mustLoad(t, ""))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for id := int64(0); id <= 17; id++ {
				a, ok := team.Get(id)
				if ok && a.ID != id {
					t.Errorf("Get(%d) returned %d", id, a.ID)
				}
			}
			if n := len(team.List()); n != 16 {
				t.Errorf("List has %d, want 16", n)
			}
		})
	}
	wg.Wait()
}

func BenchmarkTeamGet(b *testing.B) {
	team := NewTeam(mustLoad(b, ""))
	for b.Loop() {
		if _, ok := team.Get(16); !ok {
			b.Fatal("no assistant 16")
		}
	}
}

func BenchmarkTeamList(b *testing.B) {
	team := NewTeam(mustLoad(b, ""))
	for b.Loop() {
		if len(team.List()) == 0 {
			b.Fatal("empty team")
		}
	}
}
