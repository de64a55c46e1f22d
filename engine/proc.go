package engine

import (
	"errors"
	"fmt"
	"sync"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

// core is one declared process at run time: its unit, its state and the
// waiters of WaitReady and RunOnce. A reload that keeps the declaration
// keeps the core (same unit: pid, counts, flags, log ring); a changed
// declaration gets a new core (reload.go). Everything but the guarded
// fields is fixed once the core is made.
type core struct {
	idx           int // in every table from the one that made it on (table.go)
	name          string
	group         Group
	decl          Process // as declared, normalized: what a reload compares
	autostart     bool
	exitWith      bool
	restart       unit.RestartPolicy
	restartOnDeps bool
	checkTimeout  time.Duration
	unit          *unit.Unit

	lines []entry // the current chunk's lines; guarded by the unit's line lock

	mu           sync.Mutex // guards the fields below
	state        unit.State
	once         bool // the current run was started by RunOnce
	readyWaiters []chan error
	exitWaiters  []chan exitResult
}

// proc is a core as one table links it: the indices of its deps and
// dependents there (a reload may replace a dep by a new core while the
// dependent keeps its own).
type proc struct {
	*core
	deps       []int     // indices of the processes it waits for
	conds      []DepCond // the condition of each of deps (after.go)
	dependents []int     // indices of the processes that list it in deps
}

// exitResult is what a RunOnce waiter gets.
type exitResult struct {
	code int
	ok   bool // the exit is a success (ok_codes)
	err  error
}

// errFailed is returned to WaitReady when the process failed for good.
var errFailed = errors.New("failed")

// exitCode maps an exit to one code: the code, or 128+n for signal n.
func exitCode(code int, sig syscall.Signal) int {
	if sig != 0 {
		return 128 + int(sig)
	}
	return code
}

// onLine is the hot path: one log line becomes one inline process:log
// entry, queued with the rest of its chunk (onChunk publishes them). Both
// run under the unit's line lock, which guards p.lines.
func (e *Engine) onLine(p *core) func(logger.Line) {
	group, _ := groupNameIndex(p.group) // Validate admits only the three groups
	src := int32(p.idx + 1)
	return func(l logger.Line) {
		stream, _ := streamIndex(l.Stream) // a unit reports stdout or stderr only
		p.lines = append(p.lines, entry{time: l.Time, process: p.name, line: l.Text, src: src, group: group, stream: stream})
	}
}

// onChunk publishes the lines of a chunk to every subscriber, one lock and
// at most one wake-up per subscriber per chunk. It reports whether a record
// now holds a full share of this process's lines: the reader then calls
// onWait, outside the line lock, before it reads again.
func (e *Engine) onChunk(p *core) func() bool {
	return func() bool {
		if len(p.lines) == 0 {
			return false
		}
		full := false
		for _, s := range *e.subs.Load() {
			if s.noLines {
				continue
			}
			if s.pushLines(p.lines) {
				full = true
			}
		}
		clear(p.lines) // drop the references to the lines
		p.lines = p.lines[:0]
		return full
	}
}

// onWait blocks a reader of p until every record has room for p's lines
// again (or detached), or stop is closed. Only p's reader waits: other
// processes, the engine and the units' actors never do.
func (e *Engine) onWait(p *core) func(stop <-chan struct{}) {
	return func(stop <-chan struct{}) {
		for _, s := range *e.subs.Load() {
			s.waitRoom(p.idx+1, stop)
		}
	}
}

// onEvent translates unit events into engine events, wakes waiters, and
// tells the lifecycle goroutine. It runs on the unit's goroutine and never
// blocks. The process's state changes before its event is published, and
// the lifecycle hears of an event (and of the state change, EventState,
// which the unit emits after the events that report it) only after it was
// published: nothing the lifecycle does in answer can overtake it.
func (e *Engine) onEvent(p *core) func(unit.Event) {
	return func(u unit.Event) {
		p.setState(u.State)
		if u.Kind == unit.EventState {
			p.settle(u.State)
			e.mbox.Post(note{kind: noteUnit, proc: p.idx, ev: u})
			e.changes.notify()
			return
		}
		ev := Event{Time: u.Time, Process: p.name, Group: p.group}
		if ev.Time.IsZero() {
			ev.Time = time.Now()
		}
		if !fillEvent(&ev, &u, e.Phase()) {
			return
		}
		e.publish(&ev)
		switch u.Kind {
		case unit.EventReady:
			p.wakeReady(nil)
		case unit.EventFailed:
			p.wakeReady(fmt.Errorf("process %q: %w: %s", p.name, errFailed, u.Reason))
		case unit.EventExit:
			spec := p.unit.Spec()
			p.wakeExit(exitResult{code: exitCode(u.ExitCode, u.Signal), ok: spec.Success(u.ExitCode, u.Signal)})
		}
		switch u.Kind {
		case unit.EventSpawn, unit.EventReady, unit.EventFailed, unit.EventExit, unit.EventCrash:
			p.mu.Lock()
			once := p.once
			p.mu.Unlock()
			e.mbox.Post(note{kind: noteUnit, proc: p.idx, ev: u, once: once})
		}
	}
}

// fillEvent sets the type and the fields of ev from u; false means u is not
// published.
func fillEvent(ev *Event, u *unit.Event, phase string) bool {
	switch u.Kind {
	case unit.EventSpawn:
		ev.Type, ev.Pid, ev.Attempt = ProcessSpawn, u.Pid, u.Attempt
		ev.State = u.State.String()
	case unit.EventReady:
		ev.Type, ev.Pid, ev.DurationMs = ProcessReady, u.Pid, u.Duration.Milliseconds()
		ev.State = u.State.String()
	case unit.EventExit:
		ev.Type, ev.Pid, ev.DurationMs = ProcessExit, u.Pid, u.Duration.Milliseconds()
		ev.State = u.State.String()
		setExit(ev, u)
	case unit.EventCrash:
		ev.Type, ev.Reason, ev.Restarts, ev.WillRestart, ev.Report = ProcessCrash, u.Reason, u.Restarts, u.WillRestart, u.Report
		ev.State = u.State.String()
		setExit(ev, u)
	case unit.EventRestart:
		ev.Type, ev.Attempt, ev.DelayMs, ev.Reason = ProcessRestart, u.Attempt, u.Delay.Milliseconds(), u.Reason
		ev.State = u.State.String()
	case unit.EventFailed:
		ev.Type, ev.Reason = ProcessFailed, u.Reason
		ev.State = u.State.String()
	case unit.EventUnhealthy:
		ev.Type, ev.Pid, ev.Reason, ev.Count = ProcessUnhealthy, u.Pid, u.Reason, u.Restarts
		ev.State = u.State.String()
		if u.Err != nil {
			ev.Error = u.Err.Error()
		}
	case unit.EventFlag:
		fillFlag(ev, &u.Hit)
	case unit.EventError:
		ev.Type, ev.Phase = LifecycleError, phase
		if u.Err != nil {
			ev.Error = u.Err.Error()
		}
	default:
		return false
	}
	return true
}

func setExit(ev *Event, u *unit.Event) {
	if u.Signal != 0 {
		ev.Signal = unit.SignalName(u.Signal)
		return
	}
	code := u.ExitCode
	ev.ExitCode = &code
}

func fillFlag(ev *Event, h *flagset.Hit) {
	ev.Type = FlagMatched
	if h.Kind == flagset.Exceeded {
		ev.Type = FlagExceeded
	} else {
		ev.Line, ev.Context = h.Line, h.Context
	}
	ev.Flag, ev.Count, ev.Color = h.Flag, h.Count, h.Color.String()
	if h.Target != flagset.NoTarget {
		target := h.Target
		ev.Target = &target
	}
}

func (p *core) setState(s unit.State) {
	p.mu.Lock()
	p.state = s
	p.mu.Unlock()
}

// settle fails the RunOnce waiters of a process that settled in s without
// an exit event: the spawn itself failed.
func (p *core) settle(s unit.State) {
	if !settled(s) {
		return
	}
	p.mu.Lock()
	lost := p.exitWaiters
	p.exitWaiters = nil
	p.mu.Unlock()
	for _, ch := range lost {
		ch <- exitResult{code: -1, err: fmt.Errorf("process %q: did not run", p.name)}
	}
}

func (p *core) wakeReady(err error) {
	p.mu.Lock()
	ws := p.readyWaiters
	p.readyWaiters = nil
	p.mu.Unlock()
	for _, ch := range ws {
		ch <- err
	}
}

func (p *core) wakeExit(r exitResult) {
	p.mu.Lock()
	ws := p.exitWaiters
	p.exitWaiters = nil
	p.mu.Unlock()
	for _, ch := range ws {
		ch <- r
	}
}

// settled reports whether a unit in state s is not running and has no
// process to wait for.
func settled(s unit.State) bool {
	switch s {
	case unit.StateCompleted, unit.StateFailed, unit.StateCrashed, unit.StateStopped:
		return true
	}
	return false
}

// running reports whether a unit in state s has a live process.
func running(s unit.State) bool {
	return s == unit.StateStarting || s == unit.StateReady || s == unit.StateStopping
}
