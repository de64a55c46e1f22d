package tui

import (
	"github.com/gdamore/tcell/v2"
)

// resize sizes the panes to their content before every draw: the list as
// wide as its rows (the log keeps at least half the screen), none with `z`;
// the flag panel as high as its matches, at most flagPanelMax rows and a
// quarter of the screen.
func (u *ui) resize(screen tcell.Screen) bool {
	w, h := screen.Size()
	if u.zoomed {
		u.panes.ResizeItem(u.list, 0, 0)
	} else {
		u.panes.ResizeItem(u.list, u.list.width(w), 0)
	}
	if u.flagsOpen {
		rows := max(3, min(len(u.flags.visible())+2, flagPanelMax, h/4))
		u.root.ResizeItem(u.flags, rows, 0)
	}
	return false
}

// toggleZoom shows the log full-screen, or the list again.
func (u *ui) toggleZoom() {
	u.zoomed = !u.zoomed
	if u.zoomed && u.focus == focusList {
		u.setFocus(focusLog)
	}
}
