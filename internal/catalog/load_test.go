package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ajans/ajans"
	"github.com/google/go-cmp/cmp"
)

// writeCatalog writes src to a catalog file in a temporary folder and
// returns its path.
func writeCatalog(tb testing.TB, src string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "team.yaml")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// mustLoad loads the default team with the override src, if any.
func mustLoad(tb testing.TB, src string) []ajans.Assistant {
	tb.Helper()
	path := ""
	if src != "" {
		path = writeCatalog(tb, src)
	}
	as, err := Load(path)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return as
}

// byID returns the assistant with the given id, failing the test if there
// is none.
func byID(tb testing.TB, as []ajans.Assistant, id int64) ajans.Assistant {
	tb.Helper()
	for _, a := range as {
		if a.ID == id {
			return a
		}
	}
	tb.Fatalf("no assistant %d", id)
	return ajans.Assistant{}
}

// ids returns the ids of as in order.
func ids(as []ajans.Assistant) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func TestLoadDefault(t *testing.T) {
	as := mustLoad(t, "")
	want := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	if diff := cmp.Diff(want, ids(as)); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(mustParse(t, defaultYAML).Assistants, as); diff != "" {
		t.Errorf("Load(\"\") differs from the embedded catalog (-want +got):\n%s", diff)
	}
}

func TestLoadOverride(t *testing.T) {
	def := mustLoad(t, "")
	tests := []struct {
		name  string
		src   string
		check func(t *testing.T, as []ajans.Assistant)
	}{
		{
			name: "extend",
			src: `
assistants:
  - id: 40
    names: {tr: "Lojistik Uzmanı", en: "Logistics Expert"}
    capabilities: [chat, document]
    model: "ollama/llama3.1:8b"
    system_prompt: "You plan shipments."
  - id: 20
    names: {tr: "Yirmi", en: "Twenty"}
    system_prompt: "Twenty."
`,
			check: func(t *testing.T, as []ajans.Assistant) {
				wantIDs := append(ids(def), 20, 40)
				if diff := cmp.Diff(wantIDs, ids(as)); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
				a := byID(t, as, 40)
				if a.Names["tr"] != "Lojistik Uzmanı" || a.Model != "ollama/llama3.1:8b" {
					t.Errorf("assistant 40 = %+v", a)
				}
				if diff := cmp.Diff(def[15], byID(t, as, 16)); diff != "" {
					t.Errorf("assistant 16 changed (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "replace one wholly",
			src: `
assistants:
  - id: 16
    names: {tr: "Go Uzmanı", en: "Go Expert"}
    model: openai/gpt-4o
    system_prompt: "You write Go."
`,
			check: func(t *testing.T, as []ajans.Assistant) {
				want := ajans.Assistant{
					ID:           16,
					Names:        map[string]string{"tr": "Go Uzmanı", "en": "Go Expert"},
					Descriptions: map[string]string{},
					SystemPrompt: "You write Go.",
					Model:        "openai/gpt-4o",
					Capabilities: []string{"chat"},
					Enabled:      true,
				}
				if diff := cmp.Diff(want, byID(t, as, 16)); diff != "" {
					t.Errorf("assistant 16 (-want +got):\n%s", diff)
				}
				if len(as) != len(def) {
					t.Errorf("%d assistants, want %d", len(as), len(def))
				}
			},
		},
		{
			name: "disable one",
			src:  "assistants:\n  - {id: 13, enabled: false}\n",
			check: func(t *testing.T, as []ajans.Assistant) {
				want := def[12]
				want.Enabled = false
				if diff := cmp.Diff(want, byID(t, as, 13)); diff != "" {
					t.Errorf("assistant 13 (-want +got):\n%s", diff)
				}
				if _, ok := NewTeam(as).Get(13); ok {
					t.Error("the team still offers assistant 13")
				}
			},
		},
		{
			name: "replace all",
			src: `
replace: true
assistants:
  - {id: 2, names: {tr: "İki", en: "Two"}, system_prompt: "Two."}
  - {id: 1, names: {tr: "Bir", en: "One"}, system_prompt: "One."}
  - {id: 3, names: {tr: "Üç", en: "Three"}, enabled: false}
`,
			check: func(t *testing.T, as []ajans.Assistant) {
				if diff := cmp.Diff([]int64{1, 2, 3}, ids(as)); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
				if got := byID(t, as, 1).Names["tr"]; got != "Bir" {
					t.Errorf("assistant 1 is named %q, want Bir", got)
				}
				if n := len(NewTeam(as).List()); n != 2 {
					t.Errorf("team of %d, want 2", n)
				}
			},
		},
		{
			name: "empty file changes nothing",
			src:  "# no changes yet\n",
			check: func(t *testing.T, as []ajans.Assistant) {
				if diff := cmp.Diff(def, as); diff != "" {
					t.Errorf("team changed (-want +got):\n%s", diff)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, mustLoad(t, tt.src))
		})
	}
}

func TestLoadErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	tests := []struct {
		name string
		path string
		want []string
	}{
		{
			name: "missing file",
			path: missing,
			want: []string{"open catalog", missing},
		},
		{
			name: "invalid entry",
			path: writeCatalog(t, "assistants:\n  - {id: 4, names: {tr: a}}\n"),
			want: []string{"team.yaml: assistant entry 1 (id 4, line 2)", `missing "en" name`},
		},
		{
			name: "unknown key",
			path: writeCatalog(t, "assistans: []\n"),
			want: []string{"team.yaml", "field assistans not found"},
		},
		{
			name: "disable unknown assistant",
			path: writeCatalog(t, "assistants:\n  - {id: 99, enabled: false}\n"),
			want: []string{"team.yaml", "disable assistant 99"},
		},
		{
			name: "disable after replace",
			path: writeCatalog(t, "replace: true\nassistants:\n  - {id: 1, enabled: false}\n"),
			want: []string{"team.yaml", "disable assistant 1"},
		},
		{
			name: "nothing enabled",
			path: writeCatalog(t, "replace: true\n"),
			want: []string{"no enabled assistant"},
		},
		{
			name: "too large",
			path: writeCatalog(t, strings.Repeat("#\n", MaxSize)),
			want: []string{"team.yaml", "over the limit"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path)
			if err == nil {
				t.Fatal("Load: no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(""); err != nil {
			b.Fatal(err)
		}
	}
}
