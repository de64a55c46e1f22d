package tui

import (
	"strconv"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/ovrseer/ovrseer/unit"
)

// minListWidth is the narrowest the process list gets, borders included.
const minListWidth = 16

// procList draws the processes under their section headers. It holds no
// state of its own beyond the scroll offset: the ui owns the processes
// and the selection.
type procList struct {
	*tview.Box
	u      *ui
	offset int   // first row shown
	rows   []int // per drawn row: index into u.procs.list, or -1 (header)
}

func newProcList(u *ui) *procList {
	l := &procList{Box: tview.NewBox(), u: u}
	l.SetBorder(true).SetTitle(" Processes ")
	return l
}

// layout returns the rows: -1 for a section header, else a process index.
func (l *procList) layout() ([]int, []string) {
	var rows []int
	var headers []string
	if len(l.u.procs.list) > 0 && l.u.procs.list[0].sys {
		rows = append(rows, 0)
	}
	for _, sec := range sections {
		first := true
		for i, p := range l.u.procs.list {
			if p.group != sec.group || p.sys {
				continue
			}
			if first {
				rows = append(rows, -1)
				headers = append(headers, sec.title)
				first = false
			}
			rows = append(rows, i)
		}
	}
	return rows, headers
}

// Draw draws the list, keeping the selected process visible.
func (l *procList) Draw(screen tcell.Screen) {
	l.DrawForSubclass(screen, l)
	x, y, w, h := l.GetInnerRect()
	rows, headers := l.layout()
	selRow := 0
	for r, i := range rows {
		if i == l.u.sel {
			selRow = r
		}
	}
	if selRow < l.offset {
		l.offset = selRow
	}
	if h > 0 && selRow >= l.offset+h {
		l.offset = selRow - h + 1
	}
	l.offset = max(0, min(l.offset, len(rows)-h))
	l.rows = rows
	hi := 0
	for r := 0; r < len(rows); r++ {
		if rows[r] == -1 {
			if r >= l.offset && r-l.offset < h {
				printText(screen, x, y+r-l.offset, w, headers[hi], tcell.StyleDefault.Bold(true).Underline(true))
			}
			hi++
			continue
		}
		if r >= l.offset && r-l.offset < h {
			l.drawProc(screen, x, y+r-l.offset, w, rows[r])
		}
	}
}

// rowParts returns a process row's name (with its restart count) and its
// labelled flag counts ("errors 3"), which are drawn after the name.
func rowParts(p *procView) (string, []string) {
	name := p.name
	if p.restarts > 0 {
		name += " ↻" + strconv.Itoa(p.restarts)
	}
	var counts []string
	for _, f := range shownFlags(p) {
		counts = append(counts, f.name+" "+strconv.Itoa(f.count))
	}
	return name, counts
}

// shownFlags are the flags with matches in the order the row shows them:
// those with a target first (they are the ones that can be exceeded),
// then the others, each in the order they were first seen.
func shownFlags(p *procView) []*flagCount {
	var fs []*flagCount
	for _, targeted := range []bool{true, false} {
		for i := range p.flags {
			if f := &p.flags[i]; f.count > 0 && f.targeted == targeted {
				fs = append(fs, f)
			}
		}
	}
	return fs
}

// contentWidth is the width the rows need: " ● name  errors 3 warnings 1".
func (l *procList) contentWidth() int {
	w := len("Dependencies")
	for _, p := range l.u.procs.list {
		name, counts := rowParts(p)
		rw := 3 + cellWidth(name)
		for _, c := range counts {
			rw += 1 + cellWidth(c)
		}
		w = max(w, rw+1)
	}
	return w
}

// width returns the list's width on a screen `screen` columns wide: as
// wide as its content, borders included, but leaving the log at least half
// the screen (then names are shortened with …).
func (l *procList) width(screen int) int {
	return max(minListWidth, min(l.contentWidth()+2, screen/2))
}

// drawProc draws one process row: icon, name, labelled flag counts. When
// the row does not fit, the name is shortened with … so the counts stay.
func (l *procList) drawProc(screen tcell.Screen, x, y, w, i int) {
	p := l.u.procs.list[i]
	base := tcell.StyleDefault
	if i == l.u.sel {
		base = base.Background(tcell.ColorDarkSlateGray)
		if l.u.focus == focusList {
			base = base.Background(tcell.ColorNavy)
		}
		for c := 0; c < w; c++ {
			screen.SetContent(x+c, y, ' ', nil, base)
		}
	}
	icon, color := stateIcon(p)
	col := 1 + printText(screen, x+1, y, w-1, icon, base.Foreground(color))
	col++
	name, counts := rowParts(p)
	need := 0
	for _, c := range counts {
		need += 1 + cellWidth(c)
	}
	room := w - col - need
	if room < 4 { // the counts do not fit beside a readable name: cut them
		room = w - col
	}
	col += printText(screen, x+col, y, room, shorten(name, room), base)
	for k, f := range shownFlags(p) {
		c := counts[k]
		if col+1+cellWidth(c) > w {
			break
		}
		col++
		st := base.Foreground(flagTcellColor(f.color))
		if f.exceeded {
			st = st.Reverse(true).Bold(true)
		}
		col += printText(screen, x+col, y, w-col, c, st)
	}
}

// shorten cuts s to width columns, ending it with … when cut.
func shorten(s string, width int) string {
	if cellWidth(s) <= width || width <= 0 {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && cellWidth(string(r))+1 > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// MouseHandler selects the clicked process; the wheel moves the selection.
func (l *procList) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return l.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		if !l.InRect(event.Position()) {
			return false, nil
		}
		switch action {
		case tview.MouseLeftClick:
			_, y := event.Position()
			_, top, _, _ := l.GetInnerRect()
			if r := y - top + l.offset; r >= 0 && r < len(l.rows) && l.rows[r] >= 0 {
				l.u.selectIndex(l.rows[r])
			}
			l.u.setFocus(focusList)
			return true, nil
		case tview.MouseScrollUp:
			l.u.moveSelection(-1)
			return true, nil
		case tview.MouseScrollDown:
			l.u.moveSelection(1)
			return true, nil
		}
		return false, nil
	})
}

// stateIcon returns the icon and colour of a process's state.
func stateIcon(p *procView) (string, tcell.Color) {
	if p.sys {
		return "◆", tcell.ColorTeal
	}
	if p.hook {
		return "λ", tcell.ColorGray
	}
	switch p.state {
	case unit.StatePending:
		return "○", tcell.ColorGray
	case unit.StateStarting:
		return "◌", tcell.ColorYellow
	case unit.StateReady:
		return "●", tcell.ColorGreen
	case unit.StateStopping:
		return "◍", tcell.ColorYellow
	case unit.StateStopped:
		return "■", tcell.ColorGray
	case unit.StateCompleted:
		return "✓", tcell.ColorGreen
	case unit.StateCrashed:
		return "↯", tcell.ColorOrange
	case unit.StateFailed:
		return "✗", tcell.ColorRed
	}
	return "?", tcell.ColorGray
}

// flagTcellColor maps a flag's colour name (flagset.Color) to a terminal
// colour.
func flagTcellColor(name string) tcell.Color {
	switch name {
	case "green":
		return tcell.ColorGreen
	case "red":
		return tcell.ColorRed
	case "blue":
		return tcell.ColorDodgerBlue
	case "purple":
		return tcell.ColorMediumPurple
	case "orange":
		return tcell.ColorOrange
	case "teal":
		return tcell.ColorTeal
	}
	return tcell.ColorYellow
}
