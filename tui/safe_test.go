package tui

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/ansi/ansitest"
)

// printed runs a headless printer over evs and returns what it wrote.
func printed(t *testing.T, opts HeadlessOptions, evs ...engine.Event) string {
	t.Helper()
	var out bytes.Buffer
	h := NewHeadless(&out, opts)
	src := newFakeSource()
	src.push(evs...)
	src.finish()
	within(t, 5*time.Second, runPrinter(h, src), "printer")
	return out.String()
}

// TestHeadlessChildTextMadeSafe: child lines, hook lines and flag lines
// keep their colours and show every other escape sequence and control
// byte as a visible escape; --raw writes them as they came.
func TestHeadlessChildTextMadeSafe(t *testing.T) {
	for _, c := range ansitest.Cases {
		evs := []engine.Event{
			logEv("web", c.In),
			logEv("hook:seed", c.In),
			{Type: engine.FlagMatched, Process: "web", Flag: "f", Count: 1, Line: c.In, Context: []string{c.In}},
		}
		want := "web     | " + c.Safe + "\n" +
			"hook:seed | " + c.Safe + "\n" +
			"ovrseer | flag f in web (1): " + c.Safe + "\n"
		if got := printed(t, HeadlessOptions{Names: []string{"web"}}, evs...); got != want {
			t.Errorf("%s:\n got %q\nwant %q", c.Name, got, want)
		}
		raw := "web     | " + c.In + "\n" +
			"hook:seed | " + c.In + "\n" +
			"ovrseer | flag f in web (1): " + c.In + "\n"
		if got := printed(t, HeadlessOptions{Names: []string{"web"}, Raw: true}, evs...); got != raw {
			t.Errorf("%s raw:\n got %q\nwant %q", c.Name, got, raw)
		}
	}
}

// TestHeadlessSafeColour: with colour on, ovrseer's colour around a flag
// line stays intact around the escaped child text.
func TestHeadlessSafeColour(t *testing.T) {
	got := printed(t, HeadlessOptions{Names: []string{"web"}, Color: true},
		engine.Event{Type: engine.FlagMatched, Process: "web", Flag: "f", Color: "red", Count: 1,
			Line: "\x1b]0;x\x07\x1b[1mboom", Context: []string{"a"}})
	want := sgrRed + `flag f in web (1): \x1b]0;x\x07` + "\x1b[1mboom" + sgrReset + "\n"
	if !strings.HasSuffix(got, want) {
		t.Errorf("got %q, want suffix %q", got, want)
	}
}

func TestHeadlessEscapedLineDoesNotAllocate(t *testing.T) {
	h := NewHeadless(io.Discard, HeadlessOptions{Names: []string{"web"}})
	ev := logEv("web", "\x1b]52;c;aGk=\x07\x1b[32mok\x1b[0m\r"+strings.Repeat("y", 100))
	h.event(&ev) // sizes the buffer
	if a := testing.AllocsPerRun(1000, func() { h.event(&ev) }); a != 0 {
		t.Errorf("%v allocations per escaped log line, want 0", a)
	}
}

// TestHeadlessOwnLinesSafe: an error or reason carrying child text is made
// safe line by line, without losing ovrseer's words before it.
func TestHeadlessOwnLinesSafe(t *testing.T) {
	got := printed(t, HeadlessOptions{Names: []string{"web"}},
		engine.Event{Type: engine.LifecycleError, Phase: "hook", Error: "boom\r\x1b]0;pwned\x07\nsecond\x07 line"})
	want := `ovrseer | error (hook): \x1b]0;pwned\x07` + "\n" + `ovrseer | second\x07 line` + "\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// BenchmarkHeadlessSafety is what making lines safe costs the headless
// printer, against --raw in the same run: plain lines take the no-copy
// check, coloured ones the rewrite.
func BenchmarkHeadlessSafety(b *testing.B) {
	lines := map[string]string{
		"plain":    strings.Repeat("z", 100),
		"coloured": "\x1b[2m2026-12-04T05:12:44.120Z\x1b[0m \x1b[32mINFO\x1b[0m http: GET /api/v1/users/42 \x1b[1m200\x1b[0m 12.3ms",
	}
	for _, name := range []string{"plain", "coloured"} {
		for _, raw := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/raw=%v", name, raw), func(b *testing.B) {
				h := NewHeadless(io.Discard, HeadlessOptions{Names: []string{"gen"}, Raw: raw})
				ev := logEv("gen", lines[name])
				b.ReportAllocs()
				for b.Loop() {
					h.WriteEvent(&ev)
				}
			})
		}
	}
}
