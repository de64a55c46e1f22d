package tui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

// Lines lost before they were drawn show as "… N lines skipped" where they
// were: a loss the subscription reports for a process, and the lines a
// frame had to leave out because more arrived than the view keeps.
func TestDrainMarksSkippedLines(t *testing.T) {
	d := newDrain(nil, nil, nil)
	logLine := func(proc, line string) {
		d.event(&engine.Event{Type: engine.ProcessLog, Process: proc, Group: engine.Main, Line: line})
	}
	logLine("web", "a")
	d.event(&engine.Event{Type: engine.EventsDropped, Process: "web", Group: engine.Main, Count: 7})
	logLine("web", "b")
	logLine("db", "c")
	got := strings.Join(d.pend.lines["web"].lines, "|")
	if want := "a|" + skippedLine(7) + "|b"; got != want {
		t.Errorf("web's lines %q, want %q", got, want)
	}
	if got := d.pend.lines["db"].lines; len(got) != 1 || got[0] != "c" {
		t.Errorf("db's lines %q, want only c", got)
	}
	if !strings.Contains(skippedLine(7), "… 7 lines skipped") {
		t.Errorf("marker %q", skippedLine(7))
	}

	// A frame's flood: 3*maxViewLines lines, of which the view keeps the
	// newest maxViewLines-1 behind one marker for the rest.
	const total = 3 * maxViewLines
	for i := range total {
		logLine("flood", strconv.Itoa(i))
	}
	lines := d.pend.lines["flood"].lines
	skipped, err := strconv.Atoi(strings.Fields(strings.TrimPrefix(lines[0], "\x1b[2m… "))[0])
	if err != nil {
		t.Fatalf("first line %q is not a marker", lines[0])
	}
	kept := len(lines) - 1
	if skipped+kept != total || lines[len(lines)-1] != strconv.Itoa(total-1) || lines[1] != strconv.Itoa(skipped) {
		t.Errorf("marker for %d lines, %d kept (%q .. %q), want %d in all, in order", skipped, kept, lines[1], lines[len(lines)-1], total)
	}
}
