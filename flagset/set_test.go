package flagset

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ovrseer/ovrseer/internal/ansi/ansitest"
)

var t0 = time.Date(2026, 11, 25, 17, 40, 48, 0, time.UTC)

// step is one thing done to a Set: a line fed ("x"), "expire@MS" or "flush".
// Each line arrives 1 ms after the previous one.
type step = string

// run applies steps and renders each hit as "kind flag count [context]".
func run(t *testing.T, flags []Flag, steps []step) []string {
	t.Helper()
	s, err := Compile(flags)
	if err != nil {
		t.Fatal(err)
	}
	var hits []Hit
	now := t0
	for _, st := range steps {
		switch {
		case st == "flush":
			hits = s.Flush(hits)
		case strings.HasPrefix(st, "expire@"):
			var ms int
			fmt.Sscanf(st, "expire@%d", &ms)
			hits = s.Expire(hits, now.Add(time.Duration(ms)*time.Millisecond))
		default:
			now = now.Add(time.Millisecond)
			hits = s.Feed(hits, st, now)
		}
	}
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s %s %d %v", h.Kind, h.Flag, h.Count, h.Context)
	}
	return out
}

func TestWindows(t *testing.T) {
	e0 := Flag{Name: "err", Pattern: `ERROR`, Target: NoTarget}
	e2 := Flag{Name: "err", Pattern: `ERROR`, Context: 2, Target: NoTarget}
	w1 := Flag{Name: "warn", Pattern: `WARN|ERROR`, Context: 1, Target: NoTarget}
	tests := []struct {
		name  string
		flags []Flag
		steps []step
		want  []string
	}{
		{"context 0", []Flag{e0}, []step{"a", "ERROR 1", "b"},
			[]string{"matched err 1 [ERROR 1]"}},
		{"context 2", []Flag{e2}, []step{"a", "b", "c", "ERROR", "d", "e", "f"},
			[]string{"matched err 1 [b c ERROR d e]"}},
		{"context 2 at start", []Flag{e2}, []step{"ERROR", "d", "e"},
			[]string{"matched err 1 [ERROR d e]"}},
		{"not complete yet", []Flag{e2}, []step{"ERROR", "d"}, nil},
		{"overlapping", []Flag{e2}, []step{"a", "ERROR 1", "ERROR 2", "b", "c"},
			[]string{"matched err 1 [a ERROR 1 ERROR 2 b]", "matched err 2 [a ERROR 1 ERROR 2 b c]"}},
		{"expire before deadline", []Flag{e2}, []step{"ERROR", "d", "expire@999"}, nil},
		{"expire at deadline", []Flag{e2}, []step{"ERROR", "d", "expire@1000", "e"},
			[]string{"matched err 1 [ERROR d]"}},
		{"flush", []Flag{e2}, []step{"a", "ERROR", "flush", "b", "c"},
			[]string{"matched err 1 [a ERROR]"}},
		{"flush forgets before-context", []Flag{e2}, []step{"a", "flush", "ERROR", "b", "c"},
			[]string{"matched err 1 [ERROR b c]"}},
		{"two flags one line", []Flag{e0, w1}, []step{"x", "ERROR", "y"},
			[]string{"matched err 1 [ERROR]", "matched warn 1 [x ERROR y]"}},
		{"different contexts share history", []Flag{e2, w1}, []step{"a", "b", "WARN", "ERROR", "c", "d"},
			[]string{"matched warn 1 [b WARN ERROR]", "matched warn 2 [WARN ERROR c]", "matched err 1 [b WARN ERROR c d]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := run(t, tt.flags, tt.steps); !slices.Equal(got, tt.want) {
				t.Fatalf("hits\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestExceeded(t *testing.T) {
	for _, target := range []int{0, 3} {
		f := Flag{Name: "e", Pattern: `E`, Target: target}
		var steps []step
		for range 10 {
			steps = append(steps, "E")
		}
		steps = append(steps, "flush") // a restart: counts survive
		for range 10 {
			steps = append(steps, "E")
		}
		got := run(t, []Flag{f}, steps)
		var exceeded []string
		for _, h := range got {
			if strings.HasPrefix(h, "exceeded") {
				exceeded = append(exceeded, h)
			}
		}
		want := []string{fmt.Sprintf("exceeded e %d []", target+1)}
		if !slices.Equal(exceeded, want) {
			t.Errorf("target %d: exceeded hits %q, want %q", target, exceeded, want)
		}
		if i := slices.Index(got, want[0]); i != target+1 || got[i-1] != fmt.Sprintf("matched e %d [E]", target+1) {
			t.Errorf("target %d: exceeded not right after its match: %q", target, got)
		}
	}
}

func TestHitFields(t *testing.T) {
	s, err := Compile([]Flag{{Name: "slow", Pattern: `took [0-9]{4,}ms`, Color: Orange, Target: 0}})
	if err != nil {
		t.Fatal(err)
	}
	hits := s.Feed(nil, "GET / took 12345ms", t0)
	want := []Hit{
		{Kind: Matched, Flag: "slow", Color: Orange, Line: "GET / took 12345ms", Time: t0, Count: 1, Target: 0,
			Context: []string{"GET / took 12345ms"}},
		{Kind: Exceeded, Flag: "slow", Color: Orange, Line: "GET / took 12345ms", Time: t0, Count: 1, Target: 0},
	}
	if fmt.Sprint(hits) != fmt.Sprint(want) {
		t.Fatalf("hits\n got %+v\nwant %+v", hits, want)
	}
}

func TestANSIIgnored(t *testing.T) {
	s, err := Compile([]Flag{
		{Name: "err", Pattern: `^ERROR: disk`, Target: NoTarget},
		{Name: "red", Pattern: `31m`, Target: NoTarget},
	})
	if err != nil {
		t.Fatal(err)
	}
	colored := "\x1b[1;31mERROR\x1b[0m: \x1b]8;;http://x\x07disk\x1b]8;;\x1b\\ full"
	hits := s.Feed(nil, colored, t0)
	if len(hits) != 1 || hits[0].Flag != "err" || hits[0].Line != colored {
		t.Fatalf("hits %+v", hits)
	}
	if c := s.Counts(); c["err"] != 1 || c["red"] != 0 {
		t.Fatalf("counts %v", c)
	}
}

// TestVisibleText: a flag sees each tricky line as a terminal shows it,
// as readiness checks and the TUI do (ansitest.Cases).
func TestVisibleText(t *testing.T) {
	for _, c := range ansitest.Cases {
		if !utf8.ValidString(c.Visible) {
			continue // a pattern is UTF-8
		}
		s, err := Compile([]Flag{{Name: "f", Pattern: "^" + regexp.QuoteMeta(c.Visible) + "$", Target: NoTarget}})
		if err != nil {
			t.Fatal(err)
		}
		if hits := s.Feed(nil, c.In, t0); len(hits) != 1 {
			t.Errorf("%s: %q does not match as %q", c.Name, c.In, c.Visible)
		}
	}
}

func TestCounts(t *testing.T) {
	s, err := Compile([]Flag{{Name: "a", Pattern: "a", Target: NoTarget}, {Name: "b", Pattern: "b", Target: NoTarget}})
	if err != nil {
		t.Fatal(err)
	}
	s.Feed(nil, "a", t0)
	s.Feed(nil, "aa", t0)
	if c := s.Counts(); len(c) != 2 || c["a"] != 2 || c["b"] != 0 {
		t.Fatalf("counts %v", c)
	}
}

func TestDeadline(t *testing.T) {
	s, err := Compile([]Flag{{Name: "e", Pattern: "E", Context: 1, Target: NoTarget}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Deadline(); ok {
		t.Fatal("deadline with no window open")
	}
	s.Feed(nil, "E", t0)
	if d, ok := s.Deadline(); !ok || !d.Equal(t0.Add(time.Second)) {
		t.Fatalf("deadline %v %v", d, ok)
	}
	if hits := s.Feed(nil, "x", t0.Add(time.Second)); len(hits) != 1 {
		t.Fatalf("hits %v", hits)
	}
	if _, ok := s.Deadline(); ok {
		t.Fatal("deadline after the window completed")
	}
}

func TestCompileErrors(t *testing.T) {
	_, err := Compile([]Flag{
		{Name: "ok", Pattern: "fine"},
		{Name: "paren", Pattern: "(unclosed"},
		{Name: "star", Pattern: "*x"},
		{Name: "ctx", Pattern: "x", Context: -1},
		{Name: "ok", Pattern: "dup"},
		{Name: "", Pattern: "x"},
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`flag "paren": pattern "(unclosed"`, `flag "star": pattern "*x"`,
		`flag "ctx": context -1`, `flag "ok": declared twice`, `flag "": empty name`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestColor(t *testing.T) {
	for _, name := range []string{"green", "red", "yellow", "blue", "purple", "orange", "teal"} {
		c, err := ParseColor(name)
		if err != nil || c.String() != name {
			t.Errorf("ParseColor(%q) = %v, %v", name, c, err)
		}
	}
	if _, err := ParseColor("pink"); err == nil || !strings.Contains(err.Error(), "teal") {
		t.Errorf("ParseColor(pink) error %v does not list the colours", err)
	}
	var zero Color
	if zero != Yellow {
		t.Error("the zero Color is not yellow")
	}
}

func TestFeedNoAllocs(t *testing.T) {
	s, err := Compile(benchFlags())
	if err != nil {
		t.Fatal(err)
	}
	hits := make([]Hit, 0, 8)
	for _, line := range []string{
		"2026-11-25 17:40:48 INFO request served in 12ms path=/api/users id=42",
		"\x1b[32mINFO\x1b[0m request served in 12ms path=/api/users",
	} {
		s.Feed(hits, line, t0) // warm the strip buffer
		if n := testing.AllocsPerRun(200, func() { hits = s.Feed(hits[:0], line, t0) }); n != 0 {
			t.Errorf("%q: %v allocations per Feed", line, n)
		}
	}
}
