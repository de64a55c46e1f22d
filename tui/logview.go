package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// logView shows a lineStore: the tail while following, else from a fixed
// line. Long lines wrap. Only the visible lines are looked at per draw.
type logView struct {
	*tview.Box
	store *lineStore
	name  string
	viewState
	shown   int    // the first line of the last draw
	height  int    // inner height of the last draw
	onFocus func() // called on a click
	stamps  bool   // T: each line's time in front
	nowrap  bool   // w: long lines are cut, not wrapped
	// header, when set, gives the first row (the process's details),
	// drawn dim above a rule.
	header func() string
}

// viewState is where a process's log was left (scroll and search); each
// process keeps its own, restored when it is selected again.
type viewState struct {
	follow  bool
	top     int    // absolute index of the first line shown when !follow
	match   int    // absolute index of the current search match, or -1
	pattern string // the search, "" for none
	hits    []int  // absolute indices of the lines matching pattern, ascending
	scanned int    // lines before this absolute index were searched

	filter   string // & : only lines containing it are shown; "" for all
	fhits    []int  // absolute indices of the lines the filter lets through
	fscanned int
}

func newViewState() viewState { return viewState{follow: true, match: -1} }

func newLogView() *logView {
	v := &logView{Box: tview.NewBox(), store: &lineStore{}, viewState: newViewState()}
	v.SetBorder(true)
	return v
}

// show switches to another process's lines, where they were left.
func (v *logView) show(name string, store *lineStore, st viewState) {
	v.name, v.store, v.viewState = name, store, st
}

// Draw draws the visible lines.
func (v *logView) Draw(screen tcell.Screen) {
	v.SetTitle(v.title())
	v.DrawForSubclass(screen, v)
	x, y, w, h := v.GetInnerRect()
	if v.header != nil && h > 2 {
		dim := tcell.StyleDefault.Dim(true)
		printText(screen, x, y, w, v.header(), dim)
		for c := 0; c < w; c++ {
			screen.SetContent(x+c, y+1, '╌', nil, dim)
		}
		y, h = y+2, h-2
	}
	v.height = h
	s := v.store
	if w <= 0 || h <= 0 || len(s.lines) == 0 {
		return
	}
	v.scan()
	v.filterScan()
	n := v.count()
	if n == 0 {
		return
	}
	startPos, skip := v.pos(v.top), 0
	if v.follow {
		startPos, skip = v.tailStart(w, h)
	}
	startPos = max(0, min(startPos, n-1))
	v.top = v.idx(startPos)
	v.shown = v.top
	row := 0
	for k := startPos; k < n && row < h; k++ {
		i := v.idx(k)
		base := tcell.StyleDefault
		switch {
		case i == v.match:
			base = base.Background(tcell.ColorOlive)
		case v.isHit(i):
			base = base.Underline(true).Bold(true)
		}
		text := v.rowText(i)
		if v.nowrap {
			if base != tcell.StyleDefault {
				for c := 0; c < w; c++ {
					screen.SetContent(x+c, y+row, ' ', nil, base)
				}
			}
			printText(screen, x, y+row, w, text, base)
			row++
		} else {
			row += drawWrapped(screen, x, y+row, w, h-row, text, skip, base)
		}
		skip = 0
	}
}

// rowText is line i as drawn: with its time when timestamps are on, and a
// red bar in front when it came on stderr.
func (v *logView) rowText(i int) string {
	text, m := v.store.at(i), v.store.metaAt(i)
	if !v.stamps && !m.stderr() {
		return text
	}
	var b strings.Builder
	if v.stamps {
		b.WriteString("\x1b[2m")
		if t := m.time(); !t.IsZero() {
			b.WriteString(t.Format("15:04:05.000"))
		} else {
			b.WriteString("            ")
		}
		b.WriteString("\x1b[22m ")
	}
	if m.stderr() {
		b.WriteString("\x1b[31m▍\x1b[39m")
	}
	b.WriteString(text)
	return b.String()
}

// count is the number of lines shown (those the filter lets through).
func (v *logView) count() int {
	if v.filter != "" {
		return len(v.fhits)
	}
	return len(v.store.lines)
}

// idx is the absolute index of the line shown at position k.
func (v *logView) idx(k int) int {
	if v.filter != "" {
		return v.fhits[k]
	}
	return v.store.first + k
}

// pos is the position of absolute index i among the lines shown (the
// nearest following one when i is filtered out).
func (v *logView) pos(i int) int {
	if v.filter != "" {
		k, _ := slices.BinarySearch(v.fhits, i)
		return k
	}
	return max(0, i-v.store.first)
}

// tailStart returns the position of the first line to draw, and how many
// of its wrapped rows to skip, so that the last line ends on the bottom
// row.
func (v *logView) tailStart(w, h int) (int, int) {
	rows := 0
	for k := v.count() - 1; k >= 0; k-- {
		if v.nowrap {
			rows++
		} else {
			rows += (max(cellWidth(v.rowText(v.idx(k))), 1) + w - 1) / w
		}
		if rows >= h {
			return k, rows - h
		}
	}
	return 0, 0
}

func (v *logView) title() string {
	if v.name == "" {
		return " Log "
	}
	mode := "follow"
	if !v.follow {
		mode = fmt.Sprintf("paused at %d/%d", v.top+1, v.store.end())
	}
	if v.filter != "" {
		v.filterScan()
		mode += fmt.Sprintf(", &%s: %d lines", v.filter, len(v.fhits))
	}
	if v.nowrap {
		mode += ", no wrap"
	}
	if v.pattern != "" {
		v.scan()
		mode += ", /" + v.pattern
		if k, ok := slices.BinarySearch(v.hits, v.match); ok {
			mode += fmt.Sprintf(" %d/%d", k+1, len(v.hits))
		} else {
			mode += fmt.Sprintf(" %d matches", len(v.hits))
		}
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
	v.filterScan()
	cnt := v.count()
	if cnt == 0 {
		return
	}
	k := max(0, min(cnt-1, v.pos(v.top)+n))
	v.top = v.idx(k)
	if k+v.height >= cnt && n > 0 {
		v.follow = true
	}
}

func (v *logView) page(dir int) { v.scroll(dir * max(1, v.height-1)) }

func (v *logView) toTop() {
	v.follow, v.top = false, v.store.first
	if v.filterScan(); v.filter != "" && len(v.fhits) > 0 {
		v.top = v.fhits[0]
	}
}

func (v *logView) toBottom() { v.follow = true }

func (v *logView) toggleFollow() {
	if v.follow {
		v.follow, v.top = false, v.shown
		return
	}
	v.follow = true
}

// setFilter shows only the lines containing f (smart case); "" shows all.
func (v *logView) setFilter(f string) {
	v.filter, v.fhits, v.fscanned, v.follow = f, nil, 0, true
	v.filterScan()
}

// filterScan brings the filter's lines up to date with the store.
func (v *logView) filterScan() {
	if v.filter != "" {
		v.fhits, v.fscanned = scanLines(v.store, v.filter, v.fhits, v.fscanned)
	}
}

// scanLines appends to hits the absolute indices of the store's lines from
// scanned on that contain pattern (smart case), after forgetting those
// that left the store; it returns them and the new scanned.
func scanLines(s *lineStore, pattern string, hits []int, scanned int) ([]int, int) {
	if k, _ := slices.BinarySearch(hits, s.first); k > 0 {
		hits = hits[k:]
	}
	fold := strings.ToLower(pattern) == pattern
	for i := max(scanned, s.first); i < s.end(); i++ {
		text := plainText(s.at(i))
		if fold {
			text = strings.ToLower(text)
		}
		if strings.Contains(text, pattern) {
			hits = append(hits, i)
		}
	}
	return hits, s.end()
}

// search sets the pattern and jumps to its most recent match; false means
// there is none.
func (v *logView) search(pattern string) bool {
	v.pattern, v.match, v.hits, v.scanned = pattern, -1, nil, 0
	if pattern == "" {
		return false
	}
	v.scan()
	if len(v.hits) == 0 {
		return false
	}
	v.jumpTo(v.hits[len(v.hits)-1])
	return true
}

// scan brings the search's hits up to date with the store.
func (v *logView) scan() {
	if v.pattern != "" {
		v.hits, v.scanned = scanLines(v.store, v.pattern, v.hits, v.scanned)
	}
}

func (v *logView) isHit(i int) bool {
	_, ok := slices.BinarySearch(v.hits, i)
	return ok
}

// next jumps to the following (dir 1, newer) or preceding (dir -1, older)
// match; false means there is none.
func (v *logView) next(dir int) bool {
	if v.pattern == "" {
		return false
	}
	v.scan()
	from := v.match
	if from < 0 {
		from = v.shown
		if dir < 0 {
			from = v.store.end()
		}
	}
	k, found := slices.BinarySearch(v.hits, from)
	if dir > 0 && found {
		k++
	}
	if dir < 0 {
		k--
	}
	if k < 0 || k >= len(v.hits) {
		return false
	}
	v.jumpTo(v.hits[k])
	return true
}

// jumpTo shows line i, a match, in the middle of the pane, or on the last
// page without blank rows below the last line.
func (v *logView) jumpTo(i int) {
	v.match, v.follow = i, false
	v.filterScan()
	if v.count() == 0 {
		return
	}
	k := max(0, min(v.pos(i)-v.height/2, v.count()-v.height))
	v.top = v.idx(min(k, v.count()-1))
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
