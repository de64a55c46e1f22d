package tui

import (
	"fmt"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// statusLine is the bottom row: phase, counts, the latest message and the
// key help.
type statusLine struct {
	*tview.Box
	u *ui
}

const keyHint = "j/k select  Enter log  r/R restart  s stop/start  f flags  i input  / search  ? help  q quit"

// attachedHint replaces keyHint under `ovrseer attach`.
const attachedHint = "j/k select  r/R restart  s stop/start  f flags  / search  ? help  q detach  Q down"

func newStatusLine(u *ui) *statusLine { return &statusLine{Box: tview.NewBox(), u: u} }

func (s *statusLine) Draw(screen tcell.Screen) {
	s.DrawForSubclass(screen, s)
	x, y, w, _ := s.GetInnerRect()
	bar := tcell.StyleDefault.Background(tcell.ColorDarkSlateGray).Foreground(tcell.ColorWhite)
	for c := 0; c < w; c++ {
		screen.SetContent(x+c, y, ' ', nil, bar)
	}
	u := s.u
	up, crashed, failed, total := u.procs.counts()
	text := fmt.Sprintf(" %s │ %d/%d up", u.phase, up, total)
	if crashed > 0 {
		text += fmt.Sprintf(", %d crashed", crashed)
	}
	if failed > 0 {
		text += fmt.Sprintf(", %d failed", failed)
	}
	if u.dropped > 0 {
		text += fmt.Sprintf(" │ %d lines dropped", u.dropped)
	}
	col := printText(screen, x, y, w, text, bar.Bold(true))
	if u.message != "" {
		col += printText(screen, x+col, y, w-col, " │ "+u.message, bar.Foreground(tcell.ColorYellow))
	}
	hint, short := keyHint, "? help  q quit"
	if u.attached {
		hint, short = attachedHint, "? help  q detach"
	}
	if rest := w - col - 2; rest >= len(hint) {
		printText(screen, x+w-len(hint)-1, y, len(hint), hint, bar)
	} else if rest >= len(short) {
		printText(screen, x+w-len(short)-1, y, rest, short, bar)
	}
}

// helpLines is the text of the `?` overlay.
var helpLines = []string{
	"↑/↓, k/j       select a process (in the log: scroll; in the flag panel: select a match)",
	"Enter          focus the log; in the flag panel: show the match's context window",
	"Esc            back to the process list / close a window",
	"r / R          restart the selected process / every running process",
	"s              stop the selected process, or start it if it is not running",
	"f              open/close the flag panel",
	"i              type a line to the selected process's stdin (Ctrl-S hides it as a secret)",
	"/  n  N        search the log (smart case); newer / older match",
	"t  g  G        toggle follow; top; bottom (follow)",
	"PgUp / PgDn    page through the log",
	"?              this help",
	"q, Ctrl-C      quit (the shutdown runs on screen); press again to force;",
	"               attached (ovrseer attach): detach, the stack keeps running",
	"Q              attached: shut the stack down (like ovrseer down); again to force",
	"",
	"Mouse: click a process to select it, wheel to scroll.",
	"Icons: ○ pending ◌ starting ● ready ◍ stopping ■ stopped ✓ completed ✗ crashed/failed λ hook",
	"Flag counts show in the flag's colour; reversed ones exceeded their target.",
}
