package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/flagset"
)

// selectedRow reports whether the row holding text is drawn selected.
func selectedRow(t *testing.T, scr *testScreen, text string) bool {
	_, bg, _ := scr.styleOf(t, text, 0).Decompose()
	return bg == tcell.ColorNavy
}

// The flag panel follows new matches; moved, it stays; G follows again and
// the next match is selected. & filters by process or flag.
func TestUIFlagPanelFollowsAfterG(t *testing.T) {
	api := shProc("api", engine.Main, `for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "ERROR e$i"; done; while read l; do echo "ERROR $l"; done`)
	api.Spec.Stdin = true
	api.Spec.Flags = []flagset.Flag{{Name: "errors", Pattern: "ERROR", Color: flagset.Red, Target: flagset.NoTarget}}
	web := shProc("web", engine.Main, `echo WARN w1; exec sleep 30`)
	web.Spec.Flags = []flagset.Flag{{Name: "warnings", Pattern: "WARN", Color: flagset.Yellow, Target: flagset.NoTarget}}
	h := startUI(t, api, web)
	scr := h.scr
	scr.key('f')
	scr.waitText(t, "errors #12: ERROR e12", "Flags: 13 ", "(following")
	scr.InjectKey(tcell.KeyUp, 0, tcell.ModNone)
	scr.InjectKey(tcell.KeyUp, 0, tcell.ModNone)
	scr.waitText(t, "(paused: G follows")

	// api is selected in the list: a new match does not move the panel.
	scr.key('i')
	scr.waitText(t, "stdin of api")
	scr.typeText("late1")
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	lines := scr.waitText(t, "Flags: 14 ", "ERROR late1")
	if strings.Contains(strings.Join(lines, "\n"), "errors #13: ERROR late1") {
		t.Error("the paused panel jumped to the new match")
	}
	scr.key('f') // close and reopen: the focus is back on the panel
	scr.key('f')
	scr.key('G')
	scr.waitFor(t, "G selects the newest", func(l []string) bool {
		return strings.Contains(strings.Join(l, "\n"), "errors #13: ERROR late1") && selectedRow(t, scr, "errors #13: ERROR late1")
	})
	scr.key('i')
	scr.waitText(t, "stdin of api")
	scr.typeText("late2")
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	scr.key('f')
	scr.key('f')
	scr.waitFor(t, "the new match selected", func(l []string) bool {
		return strings.Contains(strings.Join(l, "\n"), "errors #14: ERROR late2") && selectedRow(t, scr, "errors #14: ERROR late2")
	})

	scr.key('&')
	scr.typeText("web")
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	lines = scr.waitText(t, `Flags: 1 of 15 matching "web"`, "warnings #1: WARN w1")
	if strings.Contains(strings.Join(lines, "\n"), "api errors #") {
		t.Error("the filter shows api's matches")
	}
	h.quit(t)
}

// A flag with a target comes first in the row, labelled, even when a flag
// without one matched earlier.
func TestUITargetedFlagCountsFirst(t *testing.T) {
	api := shProc("api", engine.Main, `echo INFO a; echo INFO b; echo ERROR c; exec sleep 30`)
	api.Spec.Flags = []flagset.Flag{
		{Name: "info", Pattern: "INFO", Color: flagset.Blue, Target: flagset.NoTarget},
		{Name: "errors", Pattern: "ERROR", Color: flagset.Red, Target: 5},
	}
	h := startUI(t, api)
	h.scr.waitFor(t, "api's counts", func(l []string) bool { return strings.Contains(rowWith(l, "● api"), "api errors 1 info 2") })
	h.quit(t)
}
