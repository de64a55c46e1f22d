package tui

import (
	"errors"
	"fmt"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/logger"
)

// Engine is what the terminal UI needs of *engine.Engine (which satisfies
// it): the event stream, a snapshot, the logs and a few commands. Start,
// Stop, Restart, RestartAll and Send may block; the UI calls them from
// goroutines of their own.
type Engine interface {
	Subscribe(engine.SubscribeOptions) *engine.Subscription
	Snapshot() []engine.ProcessStatus
	Logs(name string, n int) ([]logger.Line, error)
	Start(name string) error
	Stop(name string) error
	Restart(name string) error
	RestartAll() ([]string, error)
	Send(name, line string) error
	Quit()
	Phase() string
	StateChanged() <-chan struct{}
}

// Options configure Run. The zero value uses the real terminal.
type Options struct {
	// Screen to draw on; nil means the terminal (tcell.NewScreen).
	Screen tcell.Screen
	// Subscription to drain, taken before the engine's Run so that no
	// event is missed (make it with SubscribeOptions{LogBuffer: 1 << 16});
	// nil means Run subscribes itself. Run closes it when it returns.
	Subscription *engine.Subscription
	// Attached is set by `ovrseer attach`: q and Ctrl-C detach (Run
	// returns, the stack keeps running) and Q shuts the stack down.
	Attached bool
	// FailedStartHold is how long the UI stays after a run whose stack
	// never came up (a dependency failed), with ovrseer's own log and the
	// reason on screen, unless a key is pressed first; 0 closes it at once.
	// The terminal's UI uses FailedStartHold.
	FailedStartHold time.Duration
	// SaveDir is where `S` saves a log; "" is the working directory.
	SaveDir string
}

// FailedStartHold is how long the terminal UI stays after a failed start.
const FailedStartHold = 60 * time.Second

// logBuffer is the UI subscription's LogBuffer: room for bursts while a
// frame is drawn.
const logBuffer = 1 << 16

// Run shows the UI until the engine's event stream is over (after
// lifecycle:exit), then restores the terminal and returns; it never exits
// the program. Lines printed before the subscription are read from e.Logs.
// `q` and Ctrl-C call e.Quit (the second press forces the shutdown). The
// returned error is the terminal's (e.g. it cannot be opened, or it failed
// mid-run, ErrTerminalLost: then Run returns while the engine still runs).
func Run(e Engine, opts Options) error {
	sub := opts.Subscription
	if sub == nil {
		sub = e.Subscribe(engine.SubscribeOptions{LogBuffer: logBuffer})
	}
	defer sub.Close()
	useTerminalBackground()
	app := tview.NewApplication()
	if opts.Screen != nil {
		app.SetScreen(opts.Screen)
	}
	u := newUI(e, app)
	u.saveDir = opts.SaveDir
	u.attached = opts.Attached
	u.seed()
	d := newDrain(sub, e, func(up *update) { app.QueueUpdateDraw(func() { u.apply(up) }) })
	u.drain = d
	stopped := make(chan struct{})
	go func() {
		d.run()
		if d.failedStart && opts.FailedStartHold > 0 {
			u.holdOpen(d, opts.FailedStartHold)
		}
		select {
		case <-d.stop: // the UI ended on its own
		default:
			app.Stop()
		}
		close(stopped)
	}()
	err := app.Run()
	select {
	case <-d.done:
		<-stopped
	default:
		// The UI ended before the event stream (a terminal error): the
		// drain may be blocked handing over an update nobody will take,
		// so it is told to stop and not waited for.
		close(d.stop)
		if err == nil && !u.detached {
			err = errors.New("the terminal UI ended before the run")
		}
	}
	var lost *tcell.EventError // reading the terminal failed: it hung up
	if errors.As(err, &lost) {
		return fmt.Errorf("tui: %w: %v", ErrTerminalLost, err)
	}
	if err != nil {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}

// useTerminalBackground makes tview leave the background to the terminal
// (its own, light or dark) instead of painting it black.
func useTerminalBackground() {
	tview.Styles.PrimitiveBackgroundColor = tcell.ColorDefault
	tview.Styles.PrimaryTextColor = tcell.ColorDefault
	tview.Styles.BorderColor = tcell.ColorDefault
	tview.Styles.TitleColor = tcell.ColorDefault
}

// ErrTerminalLost is wrapped by Run's error when the terminal failed mid-run
// (it hung up: the window was closed, the connection dropped).
var ErrTerminalLost = errors.New("the terminal was lost")

// focusArea is which pane the keys go to.
type focusArea uint8

const (
	focusList focusArea = iota
	focusLog
	focusFlags
)

// inputKind is what the input field at the bottom is for.
type inputKind uint8

const (
	inputNone inputKind = iota
	inputStdin
	inputSearch
	inputFlagFilter
	inputLogFilter
)

// ui is the state of the screen. Every field is owned by tview's goroutine
// (event handlers and queued updates); other goroutines reach it only
// through drain.post.
type ui struct {
	e     Engine
	app   *tview.Application
	drain *drain

	procs   *procSet
	sel     int // index into procs.list
	focus   focusArea
	phase   string
	dropped int
	message string
	quits   int

	attached bool // Options.Attached
	detached bool // q was pressed while attached: Run returns

	root      *tview.Flex
	pages     *tview.Pages
	list      *procList
	panes     *tview.Flex
	zoomed    bool   // z: the log takes the whole screen
	saveDir   string // where S saves a log
	log       *logView
	flags     *flagPanel
	flagsOpen bool
	status    *statusLine
	input     *tview.InputField
	inputMode inputKind
	masked    bool
	overlay   bool          // help or a context window is shown
	box       *textBox      // the overlay's box
	unhold    chan struct{} // closed by the first key while holding; nil when not
}

func newUI(e Engine, app *tview.Application) *ui {
	u := &ui{e: e, app: app, procs: newProcSet(e.Snapshot()), phase: e.Phase()}
	u.list = newProcList(u)
	u.log = newLogView()
	u.log.onFocus = func() { u.setFocus(focusLog) }
	u.flags = newFlagPanel(u)
	u.status = newStatusLine(u)
	u.log.header = u.detailText
	u.input = tview.NewInputField()
	u.root = tview.NewFlex().SetDirection(tview.FlexRow)
	u.pages = tview.NewPages().AddPage("main", u.root, true, true)
	u.relayout()
	app.SetRoot(u.pages, true).EnableMouse(true)
	app.SetInputCapture(u.onKey)
	app.SetBeforeDrawFunc(u.resize)
	u.selectIndex(min(1, len(u.procs.list)-1)) // the first process, not ovrseer's entry
	u.setFocus(focusList)
	return u
}

// seed loads the lines the processes printed before the subscription.
func (u *ui) seed() {
	for _, p := range u.procs.list {
		if p.sys {
			continue
		}
		if lines, err := u.e.Logs(p.name, p.lines.size()); err == nil && len(lines) > 0 {
			texts := make([]string, len(lines))
			metas := make([]lineMeta, len(lines))
			for i, l := range lines {
				texts[i], metas[i] = l.Text, metaOf(l.Time, l.Stream == logger.Stderr)
			}
			p.lines.add(texts, metas)
		}
	}
}

// relayout rebuilds the root: panes, the flag panel when open, and the
// status line or the input field.
func (u *ui) relayout() {
	u.panes = tview.NewFlex().
		AddItem(u.list, minListWidth, 0, false).
		AddItem(u.log, 0, 1, false)
	u.root.Clear().AddItem(u.panes, 0, 1, false)
	if u.flagsOpen {
		u.root.AddItem(u.flags, flagPanelMax, 0, false)
	}
	if u.inputMode != inputNone {
		u.root.AddItem(u.input, 1, 0, true)
	} else {
		u.root.AddItem(u.status, 1, 0, false)
	}
}

// apply runs on tview's goroutine: it merges one update from the drain.
func (u *ui) apply(up *update) {
	if up.statuses != nil && u.procs.follow(up.statuses) { // before the lines: a new process's first ones
		u.reselect()
	}
	if len(up.sys) > 0 && len(u.procs.list) > 0 {
		u.procs.list[0].lines.add(up.sys, up.sysMeta)
	}
	for _, pl := range up.order {
		p := u.procs.get(pl.name, pl.group)
		if p == nil {
			continue
		}
		p.lines.add(pl.lines, pl.meta)
	}
	for _, h := range up.hits {
		if p := u.procs.byName[h.process]; p != nil {
			f := p.flag(h.flag)
			f.color, f.count = h.color, max(f.count, h.count)
			f.exceeded = f.exceeded || h.exceeded
			f.targeted = f.targeted || h.targeted
		}
	}
	u.flags.add(up.hits)
	for _, r := range up.restarts {
		if p := u.procs.byName[r.name]; p != nil {
			p.nextRestart = r.at
		}
	}
	if up.statuses != nil {
		u.procs.setStatus(up.statuses)
	}
	if u.log.name == "" && len(u.procs.list) > 0 {
		u.selectIndex(max(0, u.sel)) // the first hook of a stack without processes
	}
	u.phase = up.phase
	u.dropped += up.dropped
	if up.message != "" {
		u.message = up.message
	}
}

// selected returns the selected process, or nil when there is none.
func (u *ui) selected() *procView {
	if u.sel < 0 || u.sel >= len(u.procs.list) {
		return nil
	}
	return u.procs.list[u.sel]
}

func (u *ui) selectIndex(i int) {
	if i < 0 || i >= len(u.procs.list) {
		return
	}
	if i != u.sel || u.log.name == "" {
		if old := u.selected(); old != nil && u.log.name == old.name {
			old.view = u.log.viewState
		}
		u.sel = i
		p := u.procs.list[i]
		u.log.show(p.name, &p.lines, p.view)
	}
}

// reselect keeps the selected process selected after the list changed, or
// selects the one now at its place when it is gone.
func (u *ui) reselect() {
	if i := u.procs.index(u.log.name); i >= 0 {
		u.sel = i
		return
	}
	at := min(u.sel, len(u.procs.list)-1)
	u.sel = -1 // the view shown is of a process no longer listed: not saved
	u.selectIndex(at)
}

// moveSelection moves the selection by n (procs.list is in display
// order).
func (u *ui) moveSelection(n int) {
	u.selectIndex(max(0, min(len(u.procs.list)-1, u.sel+n)))
}

// setFocus directs the arrow keys to a pane and highlights its border.
func (u *ui) setFocus(f focusArea) {
	u.focus = f
	u.list.SetBorderColor(borderColor(f == focusList))
	u.log.SetBorderColor(borderColor(f == focusLog))
	u.flags.SetBorderColor(borderColor(f == focusFlags))
}

func borderColor(focused bool) tcell.Color {
	if focused {
		return tcell.ColorYellow
	}
	return tcell.ColorWhite
}
