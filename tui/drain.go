package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// frameInterval is the shortest time between two redraws (~30 per second).
const frameInterval = 33 * time.Millisecond

// update is what one redraw applies: everything that arrived since the
// previous one. It is built on the drain goroutine and handed over whole.
type update struct {
	lines    map[string]*pendingLines
	order    []*pendingLines // processes in order of their first new line
	sys      []string        // new lines of the `ovrseer` entry
	sysMeta  []lineMeta      // their times
	restarts []restartDue    // process:restart events
	hits     []flagHit
	statuses []engine.ProcessStatus // nil: unchanged
	phase    string
	dropped  int
	message  string
}

// restartDue is when a process's next restart comes.
type restartDue struct {
	name string
	at   time.Time
}

// flagHit is one flag:matched or flag:exceeded event.
type flagHit struct {
	time     time.Time
	process  string
	flag     string
	color    string
	line     string
	context  []string
	count    int
	exceeded bool
	targeted bool
}

func (u *update) empty() bool {
	return len(u.order) == 0 && len(u.sys) == 0 && len(u.hits) == 0 && u.statuses == nil && u.dropped == 0 && u.message == ""
}

// drain is the one goroutine that reads the subscription. It coalesces
// events into an update and posts it at most once per frameInterval, only
// when something changed; when idle it waits without ticking.
type drain struct {
	sub   *engine.Subscription
	e     Engine
	post  func(*update)          // runs the update on the UI goroutine and waits
	notes chan string            // results of control calls, from their goroutines
	done  chan struct{}          // closed when run returns
	stop  chan struct{}          // closed by Run if the UI ended on its own
	onEv  func(ev *engine.Event) // d.event, made once for Each
	sys   *sysLog
	// limits are the processes' history sizes (ring sizes), by name.
	limits map[string]int

	// failedStart is set when the run ended with a non-zero code because
	// the stack never came up: the UI then stays until it was seen.
	failedStart bool
	shutdown    string // the shutdown's reason

	pend        *update
	statusDirty bool   // read the states at the next flush
	lastName    string // a one-entry cache in front of pend.lines
	last        *pendingLines
	lastFlush   time.Time
}

func newDrain(sub *engine.Subscription, e Engine, post func(*update)) *drain {
	d := &drain{sub: sub, e: e, post: post, notes: make(chan string, 16),
		done: make(chan struct{}), stop: make(chan struct{}), pend: newUpdate(), sys: newSysLog(e)}
	d.onEv = d.event
	if e != nil {
		d.limits = make(map[string]int)
		for _, p := range e.Snapshot() {
			d.limits[p.Name] = p.LogLines
		}
	}
	return d
}

func newUpdate() *update { return &update{lines: make(map[string]*pendingLines)} }

// note hands a message to the drain (from any goroutine); it is dropped if
// the drain has finished.
func (d *drain) note(msg string) {
	select {
	case d.notes <- msg:
	case <-d.done:
	}
}

// run drains until the subscription is done, posts the last update and
// returns.
func (d *drain) run() {
	defer close(d.done)
	frame := time.NewTimer(0)
	<-frame.C
	armed := false
	// A state changes before the event that reports it is published, and
	// the changes no event reports (stopping, stopped) are signalled: the
	// states read at a flush are never older than the events applied.
	changed := d.e.StateChanged()
	for {
		select {
		case <-d.sub.Ready():
			d.take()
		case <-changed:
			changed = d.e.StateChanged()
			d.statusDirty = true
		case msg := <-d.notes:
			d.pend.message = msg
			d.statusDirty = true
		case <-frame.C:
			armed = false
			d.flush()
			continue
		case <-d.sub.Done():
			d.take()
			d.statusDirty = true
			d.flush()
			return
		case <-d.stop:
			return
		}
		if !armed && (d.statusDirty || !d.pend.empty()) {
			frame.Reset(max(0, frameInterval-time.Since(d.lastFlush)))
			armed = true
		}
	}
}

// take moves every waiting event into the pending update, one at a time
// (Each): a flood costs no batch of Events.
func (d *drain) take() { d.sub.Each(d.onEv) }

// event records one event. process:log is the hot path: a cached lookup
// and an append.
func (d *drain) event(ev *engine.Event) {
	switch ev.Type {
	case engine.ProcessLog:
		d.pending(ev).add(ev.Line, eventMeta(ev))
	case engine.FlagMatched, engine.FlagExceeded:
		d.pend.hits = append(d.pend.hits, flagHit{time: ev.Time, process: ev.Process, flag: ev.Flag,
			color: ev.Color, line: ev.Line, context: ev.Context, count: ev.Count,
			exceeded: ev.Type == engine.FlagExceeded, targeted: ev.Target != nil})
		d.sysLines(ev)
	case engine.EventsDropped:
		d.pend.dropped += ev.Count
		if ev.Process != "" {
			d.pending(ev).skip(ev.Count, eventMeta(ev))
		}
		d.sysLines(ev)
	default:
		d.statusDirty = true
		n := len(d.pend.sys)
		d.sysLines(ev)
		if isMarker(ev.Type) && ev.Process != "" {
			for _, l := range d.pend.sys[n:] {
				d.pending(ev).add(markerLine(l), metaOf(ev.Time, false))
			}
		}
		d.lifecycle(ev)
		if msg := eventMessage(ev); msg != "" {
			d.pend.message = msg
		}
	}
}

// sysLines adds the lines headless prints for ev to the `ovrseer` entry.
func (d *drain) sysLines(ev *engine.Event) {
	n := len(d.pend.sys)
	d.pend.sys = d.sys.format(ev, d.pend.sys)
	for range d.pend.sys[n:] {
		d.pend.sysMeta = append(d.pend.sysMeta, metaOf(ev.Time, false))
	}
}

// lifecycle notes what decides whether the UI stays after the run: the
// shutdown's reason and the exit code.
func (d *drain) lifecycle(ev *engine.Event) {
	switch ev.Type {
	case engine.Shutdown:
		d.shutdown = ev.Reason
	case engine.ProcessRestart:
		d.pend.restarts = append(d.pend.restarts, restartDue{ev.Process, ev.Time.Add(time.Duration(ev.DelayMs) * time.Millisecond)})
	case engine.LifecycleExit:
		d.failedStart = ev.ExitCode != nil && *ev.ExitCode != 0 && startFailed(d.shutdown)
	}
}

// flush posts the pending update, with fresh states when they changed.
func (d *drain) flush() {
	if d.statusDirty {
		d.pend.statuses = d.e.Snapshot()
		d.statusDirty = false
	}
	d.pend.phase = d.e.Phase()
	u := d.pend
	d.pend, d.lastName, d.last = newUpdate(), "", nil
	d.lastFlush = time.Now()
	d.post(u)
}

// eventMessage is the status-line message for an event worth telling.
func eventMessage(ev *engine.Event) string {
	switch ev.Type {
	case engine.ProcessCrash:
		msg := fmt.Sprintf("%s crashed: %s", ev.Process, ev.Reason)
		if ev.Report != "" { // the whole path is in ovrseer's log
			msg += " (report " + filepath.Base(ev.Report) + ")"
		}
		return msg
	case engine.ProcessFailed:
		return fmt.Sprintf("%s failed: %s", ev.Process, ev.Reason)
	case engine.LifecycleError:
		if ev.Process != "" {
			return fmt.Sprintf("error in %s (%s): %s", ev.Process, ev.Phase, ev.Error)
		}
		return fmt.Sprintf("error (%s): %s", ev.Phase, ev.Error)
	case engine.Shutdown:
		// A stop request began it (q, a signal, a dead output): the next q
		// forces. Begun otherwise (exit_with, the timeout...): the first q
		// changes nothing, the second forces (docs/cli.md, "Signals").
		if ev.Reason == "quit" || strings.HasPrefix(ev.Reason, "signal ") {
			return "shutting down (" + ev.Reason + "); q again forces it"
		}
		return "shutting down (" + ev.Reason + "); q twice forces it"
	case engine.LifecycleExit:
		if ev.ExitCode != nil {
			return fmt.Sprintf("exit code %d", *ev.ExitCode)
		}
	}
	return ""
}
