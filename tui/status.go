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

const keyHint = "j/k select  Enter log  r/R restart  s stop/start  f flags  / search  ? help  q quit"

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

// helpLines is the text of the `?` overlay; lines stay under 70 columns
// so that it fits an 80-column terminal without wrapping.
var helpLines = []string{
	"Processes",
	"  ↑/↓ k/j    select a process",
	"  Enter      focus the log (Esc: back to the list)",
	"  r          restart the selected process",
	"  R          restart every main process (failed ones too)",
	"  s          stop the selected process, or start it",
	"  i          type a line to its stdin (Ctrl-S: hide as a secret)",
	"Log",
	"  ↑/↓ k/j    scroll (when the log has the focus)",
	"  PgUp/PgDn  page;  g/Home top;  G/End bottom, follow",
	"  t          toggle follow",
	"  / n N      search; next / previous match",
	"  &          show only lines matching (empty: all)",
	"  w T z      wrap; timestamps; log full-screen",
	"  S          save the log to a file",
	"Flags",
	"  f          open/close the flag panel",
	"  ↑/↓ g G    select a match; G follows new ones",
	"  &          (in the panel) only a process's or flag's matches",
	"  Enter      show the match's context window",
	"Other",
	"  ?          this help (j/k, PgUp/PgDn scroll it)",
	"  q, Ctrl-C  quit: the shutdown runs on screen; again forces;",
	"             attached (ovrseer attach): detach, the stack runs on",
	"  Q          attached: shut the stack down; again forces",
	"",
	"Icons",
	"  ◆ ovrseer's own log     λ hook",
	"  ○ pending   ◌ starting   ● ready    ◍ stopping",
	"  ■ stopped   ✓ completed  ↯ crashed  ✗ failed",
	"  ↻4 restarted 4 times",
	"Flag counts (errors 3) are in the flag's colour; reversed ones",
	"exceeded their target.",
	"Mouse: click a process, wheel scrolls; Shift-drag selects text.",
}
