package unit

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/internal/reaper"
)

// groupGrace is how long after the stop timeout a waiter still waits for a
// SIGKILLed group to disappear before it gives up and says so.
const groupGrace = 2 * time.Second

// stop cancels a pending restart and stops the running process: the stop
// signal (SIGKILL when kill is set) and SIGCONT to its group, SIGKILL after
// StopTimeout.
func (u *Unit) stop(kill bool) {
	pending := u.restartTimer != nil || u.crashing != nil
	stopTimer(&u.restartTimer)
	u.crashing.overtake() // reported still, but nothing follows
	a := u.cur
	switch {
	case u.state == StateStarting || u.state == StateReady:
		a.end(u)
		u.setState(StateStopping)
		u.signalStop(a, kill)
	case u.state == StateStopping && kill:
		u.signalStop(a, kill)
	case pending:
		u.setState(StateStopped)
	}
}

func (u *Unit) signalStop(a *attempt, kill bool) {
	stopTimer(&a.killTimer)
	if kill {
		a.esc.request(syscall.SIGKILL, 0)
		u.signalGroup(a, syscall.SIGKILL)
		return
	}
	a.esc.request(u.spec.StopSignal, u.spec.StopTimeout)
	if len(u.spec.StopCmd) > 0 && u.spec.StopTimeout > 0 {
		u.runStopCmd(a) // instead of the signal (stopcmd.go)
	} else {
		u.signalGroup(a, u.spec.StopSignal)
	}
	a.killTimer = time.NewTimer(u.spec.StopTimeout)
}

// signalGroup sends sig, then SIGCONT (a stopped process must see it), to
// a's whole process group.
func (u *Unit) signalGroup(a *attempt, sig syscall.Signal) {
	err := syscall.Kill(-a.pid, sig)
	if sig != syscall.SIGKILL && sig != syscall.SIGCONT {
		syscall.Kill(-a.pid, syscall.SIGCONT)
	}
	if err != nil && !errors.Is(err, syscall.ESRCH) {
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: signal %s to group %d: %w",
			u.spec.Name, SignalName(sig), a.pid, err)})
	}
}

// killTimeout fires StopTimeout after the stop signal: SIGKILL the group.
func (u *Unit) killTimeout() {
	a := u.cur
	a.killTimer = nil
	u.signalGroup(a, syscall.SIGKILL)
}

// procMsg handles what a waiter reports.
func (u *Unit) procMsg(m procMsg) {
	if m.exit != nil {
		u.exited(m.a, *m.exit)
		return
	}
	if !m.gone {
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: process group %d still has members after SIGKILL",
			u.spec.Name, m.a.pid)})
	}
	for _, e := range m.escapes {
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: %s", u.spec.Name, escapeText(e))})
	}
	if m.a == u.cur && u.state == StateStopping {
		u.stopped()
	}
}

// exited handles the leader's exit (every line before it was delivered).
// Outside a requested stop the rest of its group is killed at once, so
// nothing it left behind (`sh -c 'daemon &'`) survives it.
func (u *Unit) exited(a *attempt, e exitInfo) {
	a.end(u)
	if a.stopHealth != nil {
		a.stopHealth()
	}
	if f := u.stdin.Swap(nil); f != nil {
		f.Close()
	}
	u.flushFlags()
	u.lastExit = &e
	u.publish()
	exitEv := Event{Kind: EventExit, Pid: a.pid, ExitCode: e.code, Signal: e.sig, Duration: e.at.Sub(a.start)}
	if u.state == StateStopping {
		u.emit(exitEv)
		return // stopped once the group is gone
	}
	stopTimer(&a.killTimer)
	left := leftovers(a.pid)
	u.signalGroup(a, syscall.SIGKILL)
	u.cur = nil
	if e.at.Sub(a.start) >= u.spec.StableAfter {
		u.streak = 0
	}
	u.settle(a, e, exitEv) // the exit is reported with the state it leads to
	if len(left) > 0 {
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: %s", u.spec.Name, leftoversText(left))})
	}
}

// stopped ends a requested stop once the group is gone.
func (u *Unit) stopped() {
	stopTimer(&u.cur.killTimer)
	u.cur = nil
	u.setState(StateStopped)
	if u.holdAfter { // pending before its waiters hear of the stop
		u.holdAfter = false
		u.setState(StatePending)
	}
	for _, ch := range u.stopWaiters {
		close(ch)
	}
	u.stopWaiters = nil
	if next := u.afterStop; next != cmdNone && !u.closing {
		u.afterStop = cmdNone
		u.spawn(next == cmdStartOnce)
	}
}

// waitGroupGone waits, polling with a growing delay (10 ms to 100 ms), until
// process group pgid has no member left (the reaper reaps those ovrseer
// adopted). It gives up after limit or when quit closes. Only the leader's
// waiter calls it, after the leader was reaped.
func waitGroupGone(pgid int, limit time.Duration, quit <-chan struct{}) bool {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	delay := 10 * time.Millisecond
	for {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
			return true
		}
		select {
		case <-deadline.C:
			return false
		case <-quit:
			return false
		case <-time.After(delay):
		}
		delay = min(2*delay, 100*time.Millisecond)
	}
}

// escapeText is "stopped escaped process 1234 (sleep)", and how.
func escapeText(e *reaper.Escape) string {
	switch {
	case e.Alive:
		return fmt.Sprintf("escaped process %d (%s) survived SIGKILL", e.Pid, e.Comm)
	case e.Killed:
		return fmt.Sprintf("stopped escaped process %d (%s) with SIGKILL", e.Pid, e.Comm)
	}
	return fmt.Sprintf("stopped escaped process %d (%s)", e.Pid, e.Comm)
}

// closed reports whether ch is closed.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
