package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// onKey handles every key (tview's input capture): the panes have no key
// handlers of their own, only the input field does while it is open.
func (u *ui) onKey(ev *tcell.EventKey) *tcell.EventKey {
	if u.released() {
		return nil
	}
	if ev.Key() == tcell.KeyCtrlC {
		u.quit()
		return nil
	}
	if u.inputMode != inputNone {
		if ev.Key() == tcell.KeyCtrlS && u.inputMode == inputStdin {
			u.masked = !u.masked
			u.input.SetMaskCharacter(maskRune(u.masked))
			return nil
		}
		return ev // to the input field; its done func closes it
	}
	if u.overlay {
		switch {
		case ev.Key() == tcell.KeyEscape, ev.Key() == tcell.KeyEnter, isRune(ev, '?'):
			u.closeOverlay()
		case isRune(ev, 'q'):
			u.quit()
		case u.box != nil:
			u.box.key(ev)
		}
		return nil
	}
	if u.navigate(ev) || u.command(ev) {
		return nil
	}
	if ev.Key() == tcell.KeyRune {
		u.handleRune(ev.Rune())
	}
	return nil
}

// navigate handles the keys that move within the focused pane.
func (u *ui) navigate(ev *tcell.EventKey) bool {
	dir := 0
	switch {
	case ev.Key() == tcell.KeyUp || isRune(ev, 'k'):
		dir = -1
	case ev.Key() == tcell.KeyDown || isRune(ev, 'j'):
		dir = 1
	case ev.Key() == tcell.KeyPgUp:
		u.log.page(-1)
		return true
	case ev.Key() == tcell.KeyPgDn:
		u.log.page(1)
		return true
	case ev.Key() == tcell.KeyHome:
		u.toTop()
		return true
	case ev.Key() == tcell.KeyEnd:
		u.toBottom()
		return true
	default:
		return false
	}
	switch u.focus {
	case focusLog:
		u.log.scroll(dir)
	case focusFlags:
		u.flags.move(dir)
	default:
		u.moveSelection(dir)
	}
	return true
}

// command handles Enter and Esc.
func (u *ui) command(ev *tcell.EventKey) bool {
	switch ev.Key() {
	case tcell.KeyEnter:
		if u.focus == focusFlags {
			if h, ok := u.flags.selected(); ok {
				u.showOverlay(contextBox(h))
			}
			return true
		}
		u.setFocus(focusLog)
		return true
	case tcell.KeyEscape:
		u.setFocus(focusList)
		return true
	}
	return false
}

// handleRune handles the letter commands.
func (u *ui) handleRune(r rune) {
	u.message = ""
	switch r {
	case 'q':
		u.quit()
	case 'Q':
		if u.attached {
			u.shutdown()
		}
	case 'r':
		u.restartSelected()
	case 'R':
		u.restartAll()
	case 's':
		u.stopOrStart()
	case 'f':
		u.toggleFlags()
	case 'i':
		u.openStdin()
	case '/':
		u.openInput(inputSearch, "/")
	case 'n', 'N':
		dir := 1
		if r == 'N' {
			dir = -1
		}
		if !u.log.next(dir) {
			u.message = "no more matches"
		}
	case 't':
		u.log.toggleFollow()
	case 'z':
		u.toggleZoom()
	case 'g':
		u.toTop()
	case 'G':
		u.toBottom()
	case '&':
		if u.focus == focusFlags {
			u.openInput(inputFlagFilter, "show matches of process or flag (empty: all)> ")
		} else {
			u.openInput(inputLogFilter, "show only lines containing (empty: all)> ")
		}
	case 'w':
		u.log.nowrap = !u.log.nowrap
	case 'T':
		u.log.stamps = !u.log.stamps
	case 'S':
		u.saveLog()
	case '?':
		u.showOverlay(newTextBox("Keys (j/k scroll, Esc close)", helpLines, -1))
	}
}

// toTop goes to the oldest flag match when the flag panel has the focus,
// else to the log's first line.
func (u *ui) toTop() {
	if u.focus == focusFlags {
		u.flags.toTop()
		return
	}
	u.log.toTop()
}

// toBottom goes to the newest flag match, or the log's last line, and
// follows new ones.
func (u *ui) toBottom() {
	if u.focus == focusFlags {
		u.flags.toEnd()
		return
	}
	u.log.toBottom()
}

func (u *ui) toggleFlags() {
	u.flagsOpen = !u.flagsOpen
	if u.flagsOpen {
		u.setFocus(focusFlags)
	} else if u.focus == focusFlags {
		u.setFocus(focusList)
	}
	u.relayout()
}

// showOverlay shows b centred over the panes until Esc; on a small screen
// it takes the whole screen, and it scrolls when its lines do not fit.
func (u *ui) showOverlay(b *textBox) {
	grid := tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(tview.NewFlex().SetDirection(tview.FlexRow).
			AddItem(nil, 0, 1, false).
			AddItem(b, 0, 30, false).
			AddItem(nil, 0, 1, false), 0, 30, false).
		AddItem(nil, 0, 1, false)
	u.pages.AddPage("overlay", grid, true, true)
	u.overlay, u.box = true, b
}

func (u *ui) closeOverlay() {
	u.pages.RemovePage("overlay")
	u.overlay, u.box = false, nil
}

// openInput shows the input field in place of the status line.
func (u *ui) openInput(kind inputKind, label string) {
	u.inputMode, u.masked = kind, false
	u.input.SetLabel(label).SetText("").SetMaskCharacter(0)
	u.input.SetDoneFunc(func(key tcell.Key) { u.inputDone(key) })
	u.relayout()
	u.app.SetFocus(u.input)
}

// inputDone acts on Enter (send or search) and closes the field.
func (u *ui) inputDone(key tcell.Key) {
	text, kind := u.input.GetText(), u.inputMode
	u.inputMode = inputNone
	u.relayout()
	u.app.SetFocus(u.pages)
	if key != tcell.KeyEnter {
		return
	}
	switch kind {
	case inputSearch:
		if !u.log.search(text) && text != "" {
			u.message = "not found: " + text
		}
	case inputStdin:
		u.send(text)
	case inputFlagFilter:
		u.flags.setFilter(text)
	case inputLogFilter:
		u.log.setFilter(text)
	}
}

func maskRune(masked bool) rune {
	if masked {
		return '*'
	}
	return 0
}

func isRune(ev *tcell.EventKey, r rune) bool {
	return ev.Key() == tcell.KeyRune && ev.Rune() == r
}
