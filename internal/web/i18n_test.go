package web

import (
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"testing"
)

func TestLocalesHaveTheSameKeys(t *testing.T) {
	locales, err := loadLocales(files)
	if err != nil {
		t.Fatal(err)
	}
	en := slices.Sorted(maps.Keys(locales["en"].messages))
	for _, lang := range Languages {
		got := slices.Sorted(maps.Keys(locales[lang].messages))
		if !slices.Equal(got, en) {
			t.Errorf("%s has other keys than en", lang)
		}
	}
}

// usedKey finds message keys written literally in templates and code.
var usedKey = regexp.MustCompile(`(?:\.T |T\(|redirect\([^"]*|errorPage\([^"]*|key = |return |{)"` +
	`((?:nav|welcome|plans|feature|form|login|signup|overview|apps|usage|pager|chats?|account|` +
	`docs|admin|flash|err|error|footer)\.[a-z_]+)"`)

func TestEveryUsedKeyExists(t *testing.T) {
	locales, err := loadLocales(files)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	fs.WalkDir(files, "templates", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(files, path)
			texts[path] = string(b)
		}
		return nil
	})
	n := 0
	for path, text := range texts {
		for _, m := range usedKey.FindAllStringSubmatch(text, -1) {
			n++
			for _, lang := range Languages {
				if !locales[lang].Has(m[1]) {
					t.Errorf("%s uses %s, missing in %s", path, m[1], lang)
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("found only %d keys in the templates; is the pattern right?", n)
	}
}

func TestNum(t *testing.T) {
	tests := []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 0, "0"}, {"en", 999, "999"}, {"en", 1000, "1,000"}, {"tr", 100000, "100.000"},
		{"tr", -1234567, "-1.234.567"}, {"en", 12, "12"},
	}
	for _, tt := range tests {
		l := &Locale{Lang: tt.lang}
		if got := l.Num(tt.n); got != tt.want {
			t.Errorf("%s Num(%d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1000", 1000, true}, {" 1.000 ", 1000, true}, {"1,000", 1000, true},
		{"1 000 000", 1_000_000, true}, {"1.5", 0, false}, {"1,00", 0, false}, {"-1000", 0, false},
		{"0", 0, false}, {"abc", 0, false}, {"", 0, false}, {"1e3", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseAmount(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseAmount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/apps": "/apps", "//evil.example": "/",
		"https://evil.example": "/", "/\\evil": "/", "": "/", "/usage?app=1": "/usage?app=1"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChartScale(t *testing.T) {
	tests := []struct{ max, top int64 }{{0, 4}, {1, 4}, {4, 4}, {5, 8}, {109, 200}, {800, 800},
		{1000, 2000},
		{1001, 2000}, {7_000_000, 8_000_000}}
	for _, tt := range tests {
		if got := 4 * niceStep(ceilDiv(tt.max, 4)); got != tt.top {
			t.Errorf("top for %d = %d, want %d", tt.max, got, tt.top)
		}
	}
}
