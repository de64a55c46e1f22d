package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/ovrseer/ovrseer/engine"
)

// Search shows "3/17" and underlines every match; a process's scroll and
// search are kept while another is selected; start and exit are marked.
func TestUISearchCountMarkersAndKeptPosition(t *testing.T) {
	a := shProc("alpha", engine.Main, `i=1; while [ $i -le 17 ]; do echo "hit $i"; echo "filler $i"; i=$((i+1)); done; exec sleep 30`)
	b := shProc("beta", engine.Main, `echo beta up; exec sleep 30`)
	h := startUI(t, a, b)
	scr := h.scr
	scr.waitText(t, "filler 17")

	scr.key('/')
	scr.typeText("hit")
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	scr.waitText(t, "/hit 17/17")
	for range 14 {
		scr.key('N')
	}
	scr.waitText(t, "/hit 3/17")
	if _, _, attr := scr.styleOf(t, "hit 5 ", 0).Decompose(); attr&tcell.AttrUnderline == 0 {
		t.Error("a match other than the current one is not highlighted")
	}

	scr.key('j')
	lines := scr.waitText(t, "beta (follow)", "beta up", "── beta started (pid")
	if strings.Contains(strings.Join(lines, "\n"), "/hit") {
		t.Error("alpha's search shows on beta")
	}
	scr.key('r')
	scr.waitText(t, "── beta exited: signal SIGTERM")
	scr.key('k')
	scr.waitText(t, "alpha (paused at", "/hit 3/17")
	h.quit(t)
}
