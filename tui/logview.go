package tui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// logView shows a lineStore: the tail while following, else from a fixed
// line. Long lines wrap. Only the visible lines are looked at per draw.
type logView struct {
	*tview.Box
	store   *lineStore
	name    string
	follow  bool
	top     int    // absolute index of the first line shown when !follow
	shown   int    // the first line of the last draw
	height  int    // inner height of the last draw
	match   int    // absolute index of the current search match, or -1
	pattern string // the search, "" for none
	onFocus func() // called on a click
}

func newLogView() *logView {
	v := &logView{Box: tview.NewBox(), store: &lineStore{}, follow: true, match: -1}
	v.SetBorder(true)
	return v
}

// show switches to another process's lines, following the tail.
func (v *logView) show(name string, store *lineStore) {
	v.name, v.store, v.follow, v.match, v.pattern = name, store, true, -1, ""
}

// Draw draws the visible lines.
func (v *logView) Draw(screen tcell.Screen) {
	v.SetTitle(v.title())
	v.DrawForSubclass(screen, v)
	x, y, w, h := v.GetInnerRect()
	v.height = h
	s := v.store
	if w <= 0 || h <= 0 || len(s.lines) == 0 {
		return
	}
	start, skip := v.top, 0
	if v.follow {
		start, skip = v.tailStart(w, h)
	}
	start = max(s.first, min(start, s.end()-1))
	v.top, v.shown = start, start
	row := 0
	for i := start; i < s.end() && row < h; i++ {
		base := tcell.StyleDefault
		if i == v.match {
			base = base.Background(tcell.ColorOlive)
		}
		row += drawWrapped(screen, x, y+row, w, h-row, s.at(i), skip, base)
		skip = 0
	}
}

// tailStart returns the first line to draw, and how many of its wrapped
// rows to skip, so that the last line ends on the bottom row.
func (v *logView) tailStart(w, h int) (int, int) {
	s := v.store
	rows := 0
	for i := s.end() - 1; i >= s.first; i-- {
		rows += (max(cellWidth(s.at(i)), 1) + w - 1) / w
		if rows >= h {
			return i, rows - h
		}
	}
	return s.first, 0
}

func (v *logView) title() string {
	if v.name == "" {
		return " Log "
	}
	mode := "follow"
	if !v.follow {
		mode = fmt.Sprintf("paused at %d/%d", v.top+1, v.store.end())
	}
	if v.pattern != "" {
		mode += ", /" + v.pattern
	}
	return " " + tview.Escape(v.name) + " (" + tview.Escape(mode) + ") "
}

// drawWrapped draws text from row y, wrapping at w columns, skipping its
// first skip rows, using at most h rows; it returns the rows used.
func drawWrapped(screen tcell.Screen, x, y, w, h int, text string, skip int, base tcell.Style) int {
	row, col := 0, 0
	if bg := base; bg != tcell.StyleDefault {
		for c := 0; c < w; c++ {
			screen.SetContent(x+c, y, ' ', nil, bg)
		}
	}
	walkCells(text, base, func(cluster string, cw int, st tcell.Style) bool {
		if col+cw > w {
			row, col = row+1, 0
		}
		if row-skip >= h {
			return false
		}
		if row >= skip {
			putCell(screen, x+col, y+row-skip, cluster, st)
		}
		col += cw
		return true
	})
	return min(row+1-skip, h)
}

// scroll moves the view by n lines (negative: up); reaching the end
// resumes following.
func (v *logView) scroll(n int) {
	if v.follow {
		v.top = v.shown
	}
	v.follow = false
	v.top = max(v.store.first, v.top+n)
	if v.top+v.height >= v.store.end() && n > 0 {
		v.follow = true
	}
}

func (v *logView) page(dir int) { v.scroll(dir * max(1, v.height-1)) }

func (v *logView) toTop() { v.follow, v.top = false, v.store.first }

func (v *logView) toBottom() { v.follow = true }

func (v *logView) toggleFollow() {
	if v.follow {
		v.follow, v.top = false, v.shown
		return
	}
	v.follow = true
}

// search sets the pattern and jumps to its most recent match; false means
// there is none.
func (v *logView) search(pattern string) bool {
	v.pattern, v.match = pattern, -1
	if pattern == "" {
		return false
	}
	return v.jump(v.store.end(), -1)
}

// next jumps to the following (dir 1, newer) or preceding (dir -1, older)
// match; false means there is none.
func (v *logView) next(dir int) bool {
	if v.pattern == "" {
		return false
	}
	from := v.match
	if from < 0 {
		from = v.shown
		if dir < 0 {
			from = v.store.end()
		}
	}
	return v.jump(from, dir)
}

// jump searches from (excluding) index from in direction dir.
func (v *logView) jump(from, dir int) bool {
	s := v.store
	needle, fold := v.pattern, strings.ToLower(v.pattern) == v.pattern // smart case
	for i := from + dir; i >= s.first && i < s.end(); i += dir {
		text := plainText(s.at(i))
		if fold {
			text = strings.ToLower(text)
		}
		if strings.Contains(text, needle) {
			v.match, v.follow = i, false
			v.top = max(s.first, i-v.height/2)
			return true
		}
	}
	return false
}

// MouseHandler scrolls with the wheel and focuses the log on a click.
func (v *logView) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return v.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		if !v.InRect(event.Position()) {
			return false, nil
		}
		switch action {
		case tview.MouseScrollUp:
			v.scroll(-3)
		case tview.MouseScrollDown:
			v.scroll(3)
		case tview.MouseLeftClick:
			if v.onFocus != nil {
				v.onFocus()
			}
		default:
			return false, nil
		}
		return true, nil
	})
}
