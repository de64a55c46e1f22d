package tui

import (
	"fmt"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// maxHits bounds the matches the flag panel keeps.
const maxHits = 1000

// flagPanelHeight is the panel's height, borders included.
const flagPanelHeight = 9

// flagPanel lists flag matches, newest last; Enter shows the selected
// one's context window.
type flagPanel struct {
	*tview.Box
	u      *ui
	hits   []flagHit
	sel    int // index into hits
	follow bool
	offset int
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
		p.sel = len(p.hits) - 1
	}
}

func (p *flagPanel) move(n int) {
	if len(p.hits) == 0 {
		return
	}
	p.sel = max(0, min(len(p.hits)-1, p.sel+n))
	p.follow = p.sel == len(p.hits)-1
}

func (p *flagPanel) selected() (flagHit, bool) {
	if p.sel < 0 || p.sel >= len(p.hits) {
		return flagHit{}, false
	}
	return p.hits[p.sel], true
}

// Draw draws the visible matches.
func (p *flagPanel) Draw(screen tcell.Screen) {
	p.SetTitle(fmt.Sprintf(" Flags: %d (Enter: context, Esc: back, f: close) ", len(p.hits)))
	p.DrawForSubclass(screen, p)
	x, y, w, h := p.GetInnerRect()
	if h <= 0 {
		return
	}
	if len(p.hits) == 0 {
		printText(screen, x, y, w, "no flag matches yet", tcell.StyleDefault.Foreground(tcell.ColorGray))
		return
	}
	if p.sel < p.offset {
		p.offset = p.sel
	}
	if p.sel >= p.offset+h {
		p.offset = p.sel - h + 1
	}
	for r := 0; r < h && p.offset+r < len(p.hits); r++ {
		i := p.offset + r
		base := tcell.StyleDefault
		if i == p.sel && p.u.focus == focusFlags {
			base = base.Background(tcell.ColorNavy)
		}
		p.drawHit(screen, x, y+r, w, p.hits[i], base)
	}
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
			if i := p.offset + y - top; i >= 0 && i < len(p.hits) {
				p.sel = i
				p.follow = i == len(p.hits)-1
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
	lines []string
	mark  int // a line drawn highlighted, or -1
}

func newTextBox(title string, lines []string, mark int) *textBox {
	b := &textBox{Box: tview.NewBox(), lines: lines, mark: mark}
	b.SetBorder(true).SetTitle(" " + tview.Escape(title) + " ")
	return b
}

func (b *textBox) Draw(screen tcell.Screen) {
	b.DrawForSubclass(screen, b)
	x, y, w, h := b.GetInnerRect()
	row := 0
	for i, l := range b.lines {
		if row >= h {
			break
		}
		base := tcell.StyleDefault
		if i == b.mark {
			base = base.Background(tcell.ColorOlive)
		}
		row += drawWrapped(screen, x, y+row, w, h-row, l, 0, base)
	}
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
