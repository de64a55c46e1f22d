package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/unit"
)

// startSized is startUI on a screen of the given size.
func startSized(t *testing.T, w, h int, procs ...engine.Process) *harness {
	t.Helper()
	return startHarness(t, w, h, Options{}, procs...)
}

// `i` on a process without stdin says so and opens no prompt.
func TestUIStdinNotEnabled(t *testing.T) {
	h := startUI(t, shProc("web", engine.Main, `echo up; exec sleep 30`))
	h.scr.waitText(t, "up")
	h.scr.key('i')
	lines := h.scr.waitText(t, "web takes no input")
	all := strings.Join(lines, "\n")
	if strings.Contains(all, "stdin of web") || strings.Contains(all, "engine:") || strings.Contains(all, "unit \"") {
		t.Errorf("a prompt or an error chain is on screen:\n%s", all)
	}
	h.quit(t)
}

// At 80x24 every line of the help can be reached by scrolling.
func TestUIHelpFitsAndScrollsAt80x24(t *testing.T) {
	h := startSized(t, 80, 24, shProc("web", engine.Main, `exec sleep 30`))
	h.scr.key('?')
	h.scr.waitText(t, "Keys (j/k scroll, Esc close)")
	for _, l := range helpLines {
		if cellWidth(l) > 70 {
			t.Errorf("help line wider than 70 columns: %q", l)
		}
	}
	last := helpLines[len(helpLines)-1]
	for range len(helpLines) {
		if strings.Contains(strings.Join(h.scr.lines(), "\n"), last) {
			break
		}
		h.scr.key('j')
		h.scr.waitFor(t, "a frame", func([]string) bool { return true })
	}
	h.scr.waitText(t, last, "✗ failed")
	h.scr.key('g')
	h.scr.waitText(t, "│"+helpLines[0])
	h.quit(t)
}

// R restarts every main process, the failed one too, and says so for each.
func TestUIRestartAllIncludesFailed(t *testing.T) {
	broken := shProc("broken", engine.Main, `echo run; exit 2`)
	broken.Spec.Restart = unit.RestartNever
	h := startUI(t, broken, shProc("web", engine.Main, `echo web; exec sleep 30`))
	h.scr.waitFor(t, "broken ended", func(l []string) bool {
		return rowWith(l, "✗ broken") != "" || rowWith(l, "↯ broken") != "" || rowWith(l, "■ broken") != ""
	})
	h.scr.key('R')
	h.scr.waitFor(t, "broken run again and web restarted", func(l []string) bool {
		runs := 0
		for _, row := range l {
			if strings.Contains(row, "│run ") {
				runs++
			}
		}
		return runs == 2 && rowWith(l, "web ↻1") != ""
	})
	h.quit(t)
}

// Nothing is painted black: the terminal's own background shows.
func TestUINoBlackBackground(t *testing.T) {
	h := startUI(t, shProc("web", engine.Main, `echo hello; exec sleep 30`))
	h.scr.waitText(t, "hello")
	h.scr.mu.Lock()
	for y, row := range h.scr.styles {
		for x, st := range row {
			if _, bg, _ := st.Decompose(); bg == tcell.ColorBlack {
				t.Errorf("cell %d,%d painted black", x, y)
				h.scr.mu.Unlock()
				h.quit(t)
				return
			}
		}
	}
	h.scr.mu.Unlock()
	h.quit(t)
}

// The history is the whole ring: 100,000 lines, scrolled to the first.
func TestUIHistoryIsTheWholeRing(t *testing.T) {
	const n = 100000
	flood := shProc("flood", engine.Main, fmt.Sprintf(`awk 'BEGIN { for (i = 1; i <= %d; i++) print "line " i }'; exec sleep 30`, n))
	flood.Spec.LogLines = n
	h := startUI(t, flood)
	h.scr.waitText(t, fmt.Sprintf("line %d", n))
	h.scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	h.scr.key('g')
	lines := h.scr.waitText(t, fmt.Sprintf("paused at 1/%d", n+1)) // the lines and the start marker
	if !strings.Contains(strings.Join(lines, "\n"), "│line 1 ") {
		t.Errorf("the first line is not shown:\n%s", strings.Join(lines, "\n"))
	}
	h.quit(t)
}

// The list is as wide as its rows, at most half the screen: a long name is
// then shortened with … and its labelled count stays; z hides the list.
func TestUIListWidthAndZoom(t *testing.T) {
	long := "a-process-with-a-rather-long-name-for-its-own-good"
	p := shProc(long, engine.Main, `echo ERROR x; exec sleep 30`)
	p.Spec.Flags = []flagset.Flag{{Name: "errors", Pattern: "ERROR", Color: flagset.Red, Target: flagset.NoTarget}}
	h := startSized(t, 80, 24, p, shProc("b", engine.Main, `exec sleep 30`))
	lines := h.scr.waitText(t, "… errors 1")
	row := rowWith(lines, "errors 1")
	if end := strings.Index(row, "││"); end < 0 || len([]rune(row[:end])) > 40 {
		t.Errorf("the list is wider than half the screen:\n%s", strings.Join(lines, "\n"))
	}
	h.scr.key('z')
	h.scr.waitFor(t, "the list hidden", func(l []string) bool { return !strings.Contains(strings.Join(l, "\n"), "Processes") })
	h.scr.key('z')
	h.scr.waitText(t, "Processes")
	h.quit(t)
}
