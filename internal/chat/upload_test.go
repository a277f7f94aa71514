package chat

import (
	"strings"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/render"
)

func TestCheckFileName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "rapor.pdf", "rapor.pdf"},
		{"turkish with spaces", "  Kâr ve zarar – 2026.xlsx ", "Kâr ve zarar – 2026.xlsx"},
		{"empty", "  ", ""},
		{"unix path", "../../etc/passwd", ""},
		{"windows path", `C:\x\a.txt`, ""},
		{"dot dot", "..", ""},
		{"newline", "a\nb.txt", ""},
		{"nul", "a\x00.txt", ""},
		{"right-to-left override", "belge\u202Efdp.exe", ""},
		{"not utf-8", "a\xff.txt", ""},
		{"too long", strings.Repeat("ş", 128) + ".txt", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckFileName(tt.in)
			if got != tt.want || (err == nil) != (tt.want != "") {
				t.Fatalf("CheckFileName(%q) = %q, %v", tt.in, got, err)
			}
			if err != nil && ajans.ErrorCode(err) != ajans.EINVALID {
				t.Fatalf("code %q", ajans.ErrorCode(err))
			}
		})
	}
}

func TestDocumentBlocks(t *testing.T) {
	e := New(Config{})
	plan := ajans.Plan{Features: []string{ajans.FeatureDocumentGeneration}}
	writer := &ajans.Assistant{Capabilities: []string{ajans.CapabilityDocument}}
	reply := "Hazır.\n<ajans-document format=\"xlsx\" title=\"Bütçe\">\n| a |\n|---|\n| 1 |\n" +
		"</ajans-document>\n<ajans-document>\n# Not\n\nmetin\n</ajans-document>"
	tests := []struct {
		name     string
		c        *call
		formats  []render.Format
		titles   []string
		wantText string
	}{
		{"blocks of a document assistant", &call{asst: writer, msg: "yaz",
			req: Request{Plan: plan}}, []render.Format{render.XLSX, render.DOCX},
			[]string{"Bütçe", "Not"}, "Hazır.\n| a |\n|---|\n| 1 |\n# Not\n\nmetin"},
		{"no document generation in the plan", &call{asst: writer, msg: "yaz"}, nil, nil, reply},
		{"asked for a format", &call{asst: &ajans.Assistant{}, msg: "Özet\nyaz",
			req: Request{Plan: plan}, output: render.PDF}, []render.Format{render.PDF},
			[]string{"Not"}, "Hazır.\n| a |\n|---|\n| 1 |\n# Not\n\nmetin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, text, err := e.documents(tt.c, reply)
			if err != nil || text != tt.wantText || len(docs) != len(tt.formats) {
				t.Fatalf("documents = %d, %q, %v", len(docs), text, err)
			}
			for i, d := range docs {
				f := d.file
				if f.MIME != tt.formats[i].MIME() || f.Title != tt.titles[i] ||
					!strings.HasSuffix(f.Name, "."+string(tt.formats[i])) || f.Size == 0 ||
					len(f.SHA256) != 64 || f.Kind != ajans.FileDocument {
					t.Errorf("document %d: %+v", i, f)
				}
			}
		})
	}
}
