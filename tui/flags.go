package tui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// maxHits bounds the matches the flag panel keeps.
const maxHits = 1000

// flagPanelMax is the panel's greatest height, borders included; it is
// as high as its matches need, and at most a quarter of the screen.
const flagPanelMax = 9

// flagPanel lists flag matches, newest last; Enter shows the selected
// one's context window.
type flagPanel struct {
	*tview.Box
	u      *ui
	hits   []flagHit
	sel    int // index into hits
	follow bool
	offset int    // first visible match shown (index into visible())
	filter string // shows only matches whose process or flag holds it
}

func newFlagPanel(u *ui) *flagPanel {
	p := &flagPanel{Box: tview.NewBox(), u: u, follow: true}
	p.SetBorder(true)
	return p
}

// add appends hits, keeping at most maxHits.
func (p *flagPanel) add(hits []flagHit) {
	p.hits = append(p.hits, hits...)
	if over := len(p.hits) - maxHits; over > 0 {
		p.hits = append(p.hits[:0:0], p.hits[over:]...)
		p.sel = max(0, p.sel-over)
	}
	if p.follow {
		p.toEnd()
	}
}

// visible returns the indices of the matches the filter lets through.
func (p *flagPanel) visible() []int {
	vis := make([]int, 0, len(p.hits))
	for i := range p.hits {
		if p.filter == "" || strings.Contains(p.hits[i].process, p.filter) || strings.Contains(p.hits[i].flag, p.filter) {
			vis = append(vis, i)
		}
	}
	return vis
}

// position returns where the selection is in vis (the nearest older one
// when it is filtered out).
func (p *flagPanel) position(vis []int) int {
	pos := 0
	for k, i := range vis {
		if i <= p.sel {
			pos = k
		}
	}
	return pos
}

// move moves the selection by n visible matches; it follows new matches
// again once it is on the newest.
func (p *flagPanel) move(n int) {
	vis := p.visible()
	if len(vis) == 0 {
		return
	}
	pos := max(0, min(len(vis)-1, p.position(vis)+n))
	p.sel, p.follow = vis[pos], pos == len(vis)-1
}

// toEnd selects the newest match and follows new ones (G, End).
func (p *flagPanel) toEnd() {
	p.follow = true
	if vis := p.visible(); len(vis) > 0 {
		p.sel = vis[len(vis)-1]
	}
}

// toTop selects the oldest match (g, Home).
func (p *flagPanel) toTop() {
	if vis := p.visible(); len(vis) > 0 {
		p.sel, p.follow = vis[0], len(vis) == 1
	}
}

// setFilter shows only the matches of processes or flags containing f
// ("" shows all) and selects the newest of them.
func (p *flagPanel) setFilter(f string) {
	p.filter = f
	p.toEnd()
}

func (p *flagPanel) selected() (flagHit, bool) {
	vis := p.visible()
	if len(vis) == 0 || p.sel < 0 || p.sel >= len(p.hits) {
		return flagHit{}, false
	}
	return p.hits[vis[p.position(vis)]], true
}

// Draw draws the visible matches.
func (p *flagPanel) Draw(screen tcell.Screen) {
	vis := p.visible()
	p.SetTitle(tview.Escape(p.title(len(vis))))
	p.DrawForSubclass(screen, p)
	x, y, w, h := p.GetInnerRect()
	if h <= 0 {
		return
	}
	if len(vis) == 0 {
		printText(screen, x, y, w, "no flag matches yet", tcell.StyleDefault.Foreground(tcell.ColorGray))
		return
	}
	pos := p.position(vis)
	if pos < p.offset {
		p.offset = pos
	}
	if pos >= p.offset+h {
		p.offset = pos - h + 1
	}
	p.offset = max(0, min(p.offset, len(vis)-h))
	for r := 0; r < h && p.offset+r < len(vis); r++ {
		i := vis[p.offset+r]
		base := tcell.StyleDefault
		if i == p.sel && p.u.focus == focusFlags {
			base = base.Background(tcell.ColorNavy)
		}
		p.drawHit(screen, x, y+r, w, p.hits[i], base)
	}
}

// title tells how many matches there are, the filter and whether the
// panel follows new ones.
func (p *flagPanel) title(shown int) string {
	t := fmt.Sprintf(" Flags: %d", len(p.hits))
	if p.filter != "" {
		t = fmt.Sprintf(" Flags: %d of %d matching %q", shown, len(p.hits), p.filter)
	}
	if p.follow {
		t += " (following"
	} else {
		t += " (paused: G follows"
	}
	return t + "; Enter context, & filter, f close) "
}

func (p *flagPanel) drawHit(screen tcell.Screen, x, y, w int, h flagHit, base tcell.Style) {
	for c := 0; c < w; c++ {
		screen.SetContent(x+c, y, ' ', nil, base)
	}
	col := printText(screen, x, y, w, h.time.Format("15:04:05")+" "+h.process+" ", base)
	st := base.Foreground(flagTcellColor(h.color)).Bold(true)
	if h.exceeded {
		col += printText(screen, x+col, y, w-col, fmt.Sprintf("%s exceeded its target (count %d)", h.flag, h.count), st.Reverse(true))
		return
	}
	col += printText(screen, x+col, y, w-col, fmt.Sprintf("%s #%d", h.flag, h.count), st)
	col += printText(screen, x+col, y, w-col, ": ", base)
	printText(screen, x+col, y, w-col, h.line, base)
}

// MouseHandler selects a clicked match; the wheel moves the selection.
func (p *flagPanel) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return p.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		if !p.InRect(event.Position()) {
			return false, nil
		}
		switch action {
		case tview.MouseLeftClick:
			_, y := event.Position()
			_, top, _, _ := p.GetInnerRect()
			vis := p.visible()
			if k := p.offset + y - top; k >= 0 && k < len(vis) {
				p.sel, p.follow = vis[k], k == len(vis)-1
			}
			p.u.setFocus(focusFlags)
		case tview.MouseScrollUp:
			p.move(-1)
		case tview.MouseScrollDown:
			p.move(1)
		default:
			return false, nil
		}
		return true, nil
	})
}

// textBox shows fixed lines (help, a match's context window). Child text
// in it is drawn like the log: ANSI rendered, no markup.
type textBox struct {
	*tview.Box
	lines  []string
	mark   int // a line drawn highlighted, or -1
	top    int // first line shown
	height int // inner height of the last draw
}

func newTextBox(title string, lines []string, mark int) *textBox {
	b := &textBox{Box: tview.NewBox(), lines: lines, mark: mark}
	b.SetBorder(true).SetTitle(" " + tview.Escape(title) + " ")
	return b
}

func (b *textBox) Draw(screen tcell.Screen) {
	b.DrawForSubclass(screen, b)
	x, y, w, h := b.GetInnerRect()
	b.height = h
	b.top = max(0, min(b.top, len(b.lines)-h))
	row := 0
	for i := b.top; i < len(b.lines) && row < h; i++ {
		base := tcell.StyleDefault
		if i == b.mark {
			base = base.Background(tcell.ColorOlive)
		}
		row += drawWrapped(screen, x, y+row, w, h-row, b.lines[i], 0, base)
	}
	if b.top > 0 || row >= h && b.top+h < len(b.lines) {
		more := fmt.Sprintf(" %d-%d/%d ", b.top+1, min(len(b.lines), b.top+h), len(b.lines))
		printText(screen, x+w-cellWidth(more), y+h, cellWidth(more), more, tcell.StyleDefault)
	}
}

// key scrolls the box: j/k, arrows, PgUp/PgDn, g/G, Home/End.
func (b *textBox) key(ev *tcell.EventKey) {
	page := max(1, b.height-1)
	switch {
	case ev.Key() == tcell.KeyDown || isRune(ev, 'j'):
		b.top++
	case ev.Key() == tcell.KeyUp || isRune(ev, 'k'):
		b.top--
	case ev.Key() == tcell.KeyPgDn || isRune(ev, ' '):
		b.top += page
	case ev.Key() == tcell.KeyPgUp:
		b.top -= page
	case ev.Key() == tcell.KeyHome || isRune(ev, 'g'):
		b.top = 0
	case ev.Key() == tcell.KeyEnd || isRune(ev, 'G'):
		b.top = len(b.lines)
	}
	b.top = max(0, min(b.top, len(b.lines)-max(1, b.height)))
}

// contextBox returns the overlay for a match: its context window with the
// matched line highlighted.
func contextBox(h flagHit) *textBox {
	mark := -1
	for i, l := range h.context {
		if l == h.line {
			mark = i
		}
	}
	lines := h.context
	if len(lines) == 0 {
		lines, mark = []string{h.line}, 0
	}
	title := fmt.Sprintf("%s in %s at %s (Esc to close)", h.flag, h.process, h.time.Format("15:04:05"))
	return newTextBox(title, lines, mark)
}
