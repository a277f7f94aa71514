package catalog

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ajans/ajans"
	"github.com/google/go-cmp/cmp"
)

// mustParse parses a catalog that the test expects to be valid.
func mustParse(tb testing.TB, src string) *Catalog {
	tb.Helper()
	c, err := Parse([]byte(src))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return c
}

func TestDefaultCatalog(t *testing.T) {
	c := mustParse(t, defaultYAML)
	if c.Replace || len(c.Disable) != 0 {
		t.Errorf("default catalog: Replace %v, Disable %v; want neither", c.Replace, c.Disable)
	}

	enabled := 0
	seen := map[int64]bool{}
	for _, a := range c.Assistants {
		if seen[a.ID] {
			t.Errorf("id %d appears twice", a.ID)
		}
		seen[a.ID] = true
		if a.Enabled {
			enabled++
		}
		checkDefaultAssistant(t, a)
	}
	if enabled < 12 {
		t.Errorf("%d enabled assistants, want at least 12", enabled)
	}
	for id := int64(1); id <= 16; id++ {
		if !seen[id] {
			t.Errorf("assistant %d is missing", id)
		}
	}
	if c.Assistants[0].ID != 1 {
		t.Errorf("first assistant is %d, want 1", c.Assistants[0].ID)
	}
}

// sentenceEnd matches the end of a sentence.
var sentenceEnd = regexp.MustCompile(`[.!?](\s|$)`)

// checkDefaultAssistant checks what every assistant of the default team
// must have.
func checkDefaultAssistant(t *testing.T, a ajans.Assistant) {
	t.Helper()
	for _, lang := range []string{"tr", "en"} {
		if a.Names[lang] == "" {
			t.Errorf("assistant %d has no %q name", a.ID, lang)
		}
		if a.Descriptions[lang] == "" {
			t.Errorf("assistant %d has no %q description", a.ID, lang)
		}
	}
	if n := len(sentenceEnd.FindAllString(a.SystemPrompt, -1)); n < 4 {
		t.Errorf("assistant %d: system prompt has %d sentences, want several", a.ID, n)
	}
	if !strings.Contains(a.SystemPrompt, "language") {
		t.Errorf("assistant %d: system prompt does not say to answer in the user's language",
			a.ID)
	}
	if !a.Can(ajans.CapabilityChat) {
		t.Errorf("assistant %d cannot chat", a.ID)
	}
	if a.Model != "" {
		t.Errorf("assistant %d: model %q, want the default", a.ID, a.Model)
	}
}

func TestDefaultCatalogTeam(t *testing.T) {
	team := NewTeam(mustParse(t, defaultYAML).Assistants)

	tests := []struct {
		id     int64
		tr, en string
		caps   []string
	}{
		{1, "Genel Asistan", "General Assistant", []string{"chat"}},
		{14, "Görsel Tasarımcı", "Image Designer", []string{"chat", "image"}},
		{15, "Belge Yazarı", "Document Writer", []string{"chat", "document"}},
		{16, "Yazılım Geliştirici", "Software Developer", []string{"chat", "vision"}},
	}
	for _, tt := range tests {
		t.Run(tt.en, func(t *testing.T) {
			a, ok := team.Get(tt.id)
			if !ok {
				t.Fatalf("Get(%d): not found", tt.id)
			}
			if a.Names["tr"] != tt.tr || a.Names["en"] != tt.en {
				t.Errorf("names %v, want tr %q, en %q", a.Names, tt.tr, tt.en)
			}
			if diff := cmp.Diff(tt.caps, a.Capabilities); diff != "" {
				t.Errorf("capabilities (-want +got):\n%s", diff)
			}
		})
	}

	vision := slices.ContainsFunc(team.List(), func(a *ajans.Assistant) bool {
		return a.Can(ajans.CapabilityVision)
	})
	if !vision {
		t.Error("no assistant of the default team has vision")
	}
}

func TestDefaultCatalogDisclaimers(t *testing.T) {
	team := NewTeam(mustParse(t, defaultYAML).Assistants)
	tests := []struct {
		name string
		id   int64
		want string
	}{
		{"contract review", 4, "not legal advice"},
		{"health", 13, "see a doctor"},
		{"health emergency", 13, "112"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := team.Get(tt.id)
			if !ok {
				t.Fatalf("Get(%d): not found", tt.id)
			}
			if !strings.Contains(a.SystemPrompt, tt.want) {
				t.Errorf("system prompt of %d lacks %q", tt.id, tt.want)
			}
		})
	}
}

func TestDefaultCatalogTurkish(t *testing.T) {
	c := mustParse(t, defaultYAML)
	var tr strings.Builder
	for _, a := range c.Assistants {
		tr.WriteString(a.Names["tr"] + " " + a.Descriptions["tr"] + " ")
	}
	text := tr.String()

	if !utf8.ValidString(text) {
		t.Fatal("Turkish texts are not valid UTF-8")
	}
	for _, r := range "çğıİöşüÇÖ" {
		if !strings.ContainsRune(text, r) {
			t.Errorf("Turkish texts never use %q; are they written in ASCII?", r)
		}
	}
}

func TestParseTurkishLetters(t *testing.T) {
	const src = `
assistants:
  - id: 3
    names: {tr: "Çağrı Şöförü İğneci", en: "Driver"}
    descriptions: {tr: "Işık, ğ, ü, ö, ç, ş, ı ve İ harfleri korunur."}
    system_prompt: "Türkçe yanıt ver: ılık, ığdır, İzmir."
`
	a := mustParse(t, src).Assistants[0]
	want := map[string]string{
		"names/tr":        "Çağrı Şöförü İğneci",
		"descriptions/tr": "Işık, ğ, ü, ö, ç, ş, ı ve İ harfleri korunur.",
		"system_prompt":   "Türkçe yanıt ver: ılık, ığdır, İzmir.",
	}
	got := map[string]string{
		"names/tr":        a.Names["tr"],
		"descriptions/tr": a.Descriptions["tr"],
		"system_prompt":   a.SystemPrompt,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Turkish texts (-want +got):\n%s", diff)
	}
}

func TestParseDefaults(t *testing.T) {
	const src = `
replace: true
assistants:
  - id: 7
    names: {tr: "  Yedi ", en: "Seven", de: "Sieben"}
    system_prompt: |
      Be brief.
  - id: 8
    names: {tr: "Sekiz", en: "Eight"}
    enabled: false
  - {id: 9, enabled: false}
`
	got := mustParse(t, src)
	want := &Catalog{
		Replace: true,
		Assistants: []ajans.Assistant{
			{
				ID:           7,
				Names:        map[string]string{"tr": "Yedi", "en": "Seven", "de": "Sieben"},
				Descriptions: map[string]string{},
				SystemPrompt: "Be brief.",
				Capabilities: []string{"chat"},
				Enabled:      true,
			},
			{
				ID:           8,
				Names:        map[string]string{"tr": "Sekiz", "en": "Eight"},
				Descriptions: map[string]string{},
				Capabilities: []string{"chat"},
			},
		},
		Disable: []int64{9},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "assistants: []\n"} {
		c := mustParse(t, src)
		if len(c.Assistants) != 0 || len(c.Disable) != 0 || c.Replace {
			t.Errorf("Parse(%q) = %+v, want an empty catalog", src, c)
		}
	}
}

// entry returns a valid one-entry catalog with extra lines added to the
// entry.
func entry(extra string) string {
	return "assistants:\n" +
		"  - id: 5\n" +
		"    names: {tr: \"Beş\", en: \"Five\"}\n" +
		"    system_prompt: \"Help.\"\n" + extra
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // every one must be in the error message
	}{
		{
			name: "duplicate id",
			src:  entry("  - {id: 5, names: {tr: a, en: b}, system_prompt: c}\n"),
			want: []string{"assistant entry 2 (id 5, line 5)", "duplicate id 5 (entry 1"},
		},
		{
			name: "id zero",
			src:  "assistants:\n  - {id: 0, names: {tr: a, en: b}, system_prompt: c}\n",
			want: []string{"assistant entry 1 (id 0, line 2)", "id must be 1 or more, not 0"},
		},
		{
			name: "negative id",
			src:  "assistants:\n  - {id: -3, names: {tr: a, en: b}, system_prompt: c}\n",
			want: []string{"id must be 1 or more, not -3"},
		},
		{
			name: "missing id",
			src:  "assistants:\n  - {names: {tr: a, en: b}, system_prompt: c}\n",
			want: []string{"assistant entry 1 (line 2)", "missing id"},
		},
		{
			name: "missing tr name",
			src:  "assistants:\n  - {id: 2, names: {en: b}, system_prompt: c}\n",
			want: []string{"(id 2, line 2)", `missing "tr" name`},
		},
		{
			name: "missing en name",
			src:  "assistants:\n  - {id: 2, names: {tr: a}, system_prompt: c}\n",
			want: []string{`missing "en" name`},
		},
		{
			name: "only an id",
			src:  "assistants:\n  - id: 2\n",
			want: []string{"only an id", `add "enabled: false"`},
		},
		{
			name: "empty name",
			src:  "assistants:\n  - {id: 2, names: {tr: \" \", en: b}, system_prompt: c}\n",
			want: []string{`empty "tr" name`},
		},
		{
			name: "bad language code",
			src:  entry("    descriptions: {Türkçe: x}\n"),
			want: []string{`description language "Türkçe"`},
		},
		{
			name: "empty system prompt",
			src:  "assistants:\n  - {id: 2, names: {tr: a, en: b}, system_prompt: \"  \"}\n",
			want: []string{"empty system_prompt"},
		},
		{
			name: "unknown capability",
			src:  entry("    capabilities: [chat, video]\n"),
			want: []string{`unknown capability "video"`, "chat, vision, image, document"},
		},
		{
			name: "capability twice",
			src:  entry("    capabilities: [chat, image, chat]\n"),
			want: []string{`capability "chat" listed twice`},
		},
		{
			name: "model without provider",
			src:  entry("    model: gpt-4o\n"),
			want: []string{`model "gpt-4o"`, "provider/model"},
		},
		{
			name: "unknown entry key",
			src:  entry("    colour: blue\n"),
			want: []string{"line 5", "field colour not found"},
		},
		{
			name: "unknown top-level key",
			src:  "replaces: true\n" + entry(""),
			want: []string{"line 1", "field replaces not found"},
		},
		{
			name: "id not a number",
			src:  "assistants:\n  - {id: sixteen}\n",
			want: []string{"line 2", "cannot unmarshal"},
		},
		{
			name: "not a mapping",
			src:  "- id: 1\n",
			want: []string{"decode yaml", "cannot unmarshal"},
		},
		{
			name: "two documents",
			src:  entry("---\nreplace: true\n"),
			want: []string{"more than one document"},
		},
		{
			name: "too large",
			src:  "# " + strings.Repeat("x", MaxSize) + "\n",
			want: []string{"over the limit"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			if err == nil {
				t.Fatal("Parse: no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseValidEdges(t *testing.T) {
	tests := []struct {
		name, extra string
	}{
		{"model with nested name", "    model: openrouter/meta-llama/llama-3.1-8b\n"},
		{"every capability", "    capabilities: [chat, vision, image, document]\n"},
		{"region language code", "    descriptions: {pt-BR: \"Ajudante\"}\n"},
		{"explicitly enabled", "    enabled: true\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustParse(t, entry(tt.extra))
		})
	}
}
