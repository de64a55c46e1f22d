package unit

import (
	"fmt"
	"time"

	"github.com/ovrseer/ovrseer/flagset"
)

// actor is the state only the unit's goroutine (run) touches.
type actor struct {
	state State
	since time.Time
	cur   *attempt // the live attempt, nil when no process runs

	spawns   int // attempts so far (the next EventSpawn's Attempt is spawns+1)
	streak   int // restarts since the last reset (backoff, MaxRestarts)
	total    int // restarts ever (Status.Restarts)
	lastExit *exitInfo

	restartTimer *time.Timer // a pending restart (state crashed or completed)
	restartDelay time.Duration
	flagTimer    *time.Timer // closes flag windows for lack of new lines

	crashing   *pendingCrash // a crash whose report is being written
	reports    int           // crash reports started this run (at most maxReports)
	unreported int           // crashes past maxReports: no report

	stopWaiters    []chan struct{}
	afterStop      cmdKind // cmdStart or cmdStartOnce once stopped; 0 for nothing
	holdAfter      bool    // cmdHold: pending once stopped
	restartWhy     string  // the reason of a requested restart, reported before its spawn
	unhealthyCrash bool    // the pending crash restart follows a failed health check (health.go)
	closing        bool
	inherit        *Inherit  // Options.Inherit until it is taken over (inherit.go)
	deferred       []command // ... the commands that came before
}

type cmdKind uint8

const (
	cmdNone cmdKind = iota
	cmdStart
	cmdStartOnce
	cmdStop
	cmdKill
	cmdRestart
	cmdClose
	cmdHold
	cmdFail
)

type command struct {
	kind   cmdKind
	done   chan struct{} // cmdStop, cmdHold: closed once stopped
	reason string        // cmdRestart, cmdFail
}

// run is the actor loop: commands, waiter messages, readiness results and
// timers, until Close and nothing runs.
func (u *Unit) run() {
	defer close(u.done)
	for !(u.closing && !u.state.running() && u.crashing == nil) {
		var results <-chan checkResult
		var killC <-chan time.Time
		if a := u.cur; a != nil {
			results, killC = a.results, timerC(a.killTimer)
		}
		select {
		case <-u.inheriting():
			u.adopt()
		case <-u.cmds.Ready():
			for _, c := range u.cmds.Take(nil) {
				u.command(c)
			}
		case m := <-u.msgs:
			u.procMsg(m)
		case r := <-results:
			u.checkResult(r)
		case <-killC:
			u.killTimeout()
		case w := <-u.crashing.writtenC():
			u.reportWritten(w)
		case <-u.crashing.timeoutC():
			u.reportLate()
		case <-timerC(u.restartTimer):
			u.restartTimer = nil
			u.emit(Event{Kind: EventRestart, Attempt: u.spawns + 1, Delay: u.restartDelay, Reason: u.crashKind()})
			u.spawn(false)
		case <-u.wake:
			u.takeHits(false)
		case <-timerC(u.flagTimer):
			u.flagTimer = nil
			u.takeHits(true)
		}
	}
	stopTimer(&u.restartTimer)
	stopTimer(&u.flagTimer)
	for _, c := range append(u.deferred, u.cmds.Close()...) {
		if c.done != nil {
			close(c.done) // nothing runs any more
		}
	}
}

func (u *Unit) command(c command) {
	if u.inheriting() != nil && c.kind != cmdClose {
		u.deferred = append(u.deferred, c) // nothing runs before the unit replaced has ended
		return
	}
	if u.closing && c.kind != cmdStop && c.kind != cmdKill && c.kind != cmdClose {
		return // closing: nothing starts again
	}
	switch c.kind {
	case cmdStart, cmdStartOnce:
		u.start(c.kind)
	case cmdRestart:
		u.restartWhy = c.reason
		u.streak = 0
		if u.spawns > 0 {
			u.total++ // a restart for any reason counts
		}
		if u.state.running() {
			u.afterStop = cmdStart
			u.stop(false)
			return
		}
		u.start(cmdStart)
	case cmdHold, cmdFail:
		u.holdOrFail(c)
	case cmdStop, cmdKill, cmdClose:
		u.afterStop, u.restartWhy, u.holdAfter = cmdNone, "", false
		if u.state == StatePending && u.spawns > 0 && c.kind == cmdStop {
			u.setState(StateStopped) // held (Hold), now stopped by the user: stays down
		}
		u.closing = u.closing || c.kind == cmdClose
		u.stop(c.kind == cmdKill)
		if c.done == nil {
			return
		}
		if u.state == StateStopping {
			u.stopWaiters = append(u.stopWaiters, c.done)
		} else {
			close(c.done)
		}
	}
}

// start spawns unless a process runs; while stopping it starts afterwards.
func (u *Unit) start(kind cmdKind) {
	switch u.state {
	case StateStarting, StateReady:
	case StateStopping:
		u.afterStop = kind
	default:
		stopTimer(&u.restartTimer)
		u.crashing.overtake()
		u.streak = 0
		u.spawn(kind == cmdStartOnce)
	}
}

// setState moves along the transition table, publishes the new snapshot,
// emits the events that report the change (each carries the new state),
// then EventState. The state changes before anyone hears of it, and an
// owner that acts on EventState does so after the change was reported.
func (u *Unit) setState(to State, report ...Event) {
	if !canTransition(u.state, to) {
		err := fmt.Errorf("unit %q: illegal transition %s → %s", u.spec.Name, u.state, to)
		if u.opts.StrictTransitions {
			panic(err)
		}
		u.emit(Event{Kind: EventError, Err: err})
	}
	u.state, u.since = to, time.Now()
	u.publish()
	for _, e := range report {
		u.emit(e)
	}
	u.emit(Event{Kind: EventState})
}

// emit stamps e and hands it to Options.OnEvent. Only the actor emits.
func (u *Unit) emit(e Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.State = u.state
	if u.opts.OnEvent != nil {
		u.opts.OnEvent(e)
	}
}

// publish stores the snapshot Status reads.
func (u *Unit) publish() {
	s := &Status{State: u.state, Restarts: u.total, Since: u.since, Unreported: u.unreported}
	if u.cur != nil && u.state.running() {
		s.Pid = u.cur.pid
	}
	if e := u.lastExit; e != nil {
		s.Exited, s.ExitCode, s.Signal = true, e.code, e.sig
	}
	u.snap.Store(s)
}

// takeHits emits the flag hits the line path collected, closing expired
// windows first when expire is set, and re-arms the window timer.
func (u *Unit) takeHits(expire bool) {
	u.mu.Lock()
	if u.flags == nil {
		u.mu.Unlock()
		return
	}
	if expire {
		u.hits = u.flags.Expire(u.hits, time.Now())
	}
	hits := u.hits
	u.hits = nil
	stopTimer(&u.flagTimer)
	u.expiryArmed = false
	if d, ok := u.flags.Deadline(); ok {
		u.expiryArmed = true
		u.flagTimer = time.NewTimer(max(time.Until(d), 0))
	}
	u.mu.Unlock()
	u.emitHits(hits)
}

// flushFlags closes every open window (the process exited).
func (u *Unit) flushFlags() {
	u.mu.Lock()
	if u.flags == nil {
		u.mu.Unlock()
		return
	}
	hits := u.flags.Flush(u.hits)
	u.hits = nil
	u.expiryArmed = false
	stopTimer(&u.flagTimer)
	u.mu.Unlock()
	u.emitHits(hits)
}

func (u *Unit) emitHits(hits []flagset.Hit) {
	for _, h := range hits {
		u.emit(Event{Kind: EventFlag, Hit: h})
	}
}

// timerC is t's channel, or nil (blocks forever) when t is nil.
func timerC(t *time.Timer) <-chan time.Time {
	if t == nil {
		return nil
	}
	return t.C
}

func stopTimer(t **time.Timer) {
	if *t != nil {
		(*t).Stop()
		*t = nil
	}
}
