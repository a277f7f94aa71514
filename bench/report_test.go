package main

import (
	"strings"
	"testing"
	"time"
)

func TestSplice(t *testing.T) {
	block := func(body string) string { return markBegin + "\n" + body + markEnd + "\n" }
	tests := []struct {
		name, old, body, want string
	}{
		{"empty file", "", "new\n", block("new\n")},
		{"notes only", "# Notes\n", "new\n", "# Notes\n\n" + block("new\n")},
		{"replaces the run, keeps the notes", "# Notes\n\n" + block("old\n") + "\n## Profile\n",
			"new\n", "# Notes\n\n" + block("new\n") + "\n## Profile\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splice(tt.old, tt.body); got != tt.want {
				t.Errorf("splice:\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	env := func(string) string { return "" }
	tests := []struct {
		name    string
		args    []string
		ok      bool
		check   func(o options) bool
		comment string
	}{
		{"defaults", nil, true, func(o options) bool {
			return o.duration == 6*time.Second && len(o.rates) == 3 && len(o.delays) == 2 &&
				o.delays[0] == 0 && o.delays[1] == 200*time.Millisecond
		}, "6 s steps at 100, 250, 500/s, mock 0 and 200 ms"},
		{"quick", []string{"-quick"}, true, func(o options) bool {
			return o.duration == 2*time.Second && o.probe == 1500*time.Millisecond
		}, "2 s steps"},
		{"quick keeps a given duration", []string{"-quick", "-duration", "4s"}, true,
			func(o options) bool { return o.duration == 4*time.Second }, ""},
		{"rates must go up", []string{"-rates", "500,100"}, false, nil, ""},
		{"bad delay", []string{"-delay", "soon"}, false, nil, ""},
		{"too many in flight", []string{"-apps", "1", "-inflight", "61"}, false, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFlags(tt.args, env)
			if (err == nil) != tt.ok {
				t.Fatalf("parseFlags(%v): %v", tt.args, err)
			}
			if tt.check != nil && !tt.check(o) {
				t.Errorf("parseFlags(%v) = %+v: want %s", tt.args, o, tt.comment)
			}
		})
	}
}

func TestReportNamesTheCommandAndMachine(t *testing.T) {
	o, err := parseFlags([]string{"-rates", "500", "-delay", "0"}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	fast := &result{name: "floor", rate: 500, sent: 2, ok: 2, span: time.Second,
		lat: []time.Duration{time.Millisecond, 2 * time.Millisecond}, cpu: -1}
	slow := &result{name: "sqlite", rate: 500, sent: 2, ok: 2, span: time.Second,
		lat: []time.Duration{2 * time.Millisecond, 4 * time.Millisecond}, cpu: -1}
	rep := &report{o: o, command: "go run ./bench -rates 500", started: time.Now(),
		subjects: []string{"floor", "sqlite"}, machine: "test cpu",
		delays: []*delayRun{{names: []string{"floor", "sqlite"},
			steps: map[string][]*result{"floor": {fast}, "sqlite": {slow}}}}}
	var sb strings.Builder
	rep.write(&sb)
	out := sb.String()
	for _, want := range []string{"`go run ./bench -rates 500`", "cores", "test cpu",
		"| sendMessage | 500 | sqlite | ", "+1.00 | ", "missed by 0.70 ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
