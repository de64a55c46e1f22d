package unit

import (
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/internal/reaper"
)

// A requested stop covers what escaped the group (docs/ovrfile.md,
// "Escapes"): the processes of the unit outside its group (a setsid
// daemon, adopted by ovrseer or not yet) get the stop signal at the same
// time as the group, and SIGKILL at the same deadline, so the whole stop
// takes one stop timeout, not one for the group and another for them.

// escapeStop carries a requested stop from the actor to the attempt's
// waiter: requested is closed at the first stop request, after sig and
// deadline are set.
type escapeStop struct {
	requested chan struct{}
	sig       syscall.Signal
	deadline  time.Time
}

func newEscapeStop() escapeStop { return escapeStop{requested: make(chan struct{})} }

// request notes the stop of the attempt (on the actor): sig now, SIGKILL
// after timeout. Only the first request counts.
func (s *escapeStop) request(sig syscall.Signal, timeout time.Duration) {
	if closed(s.requested) {
		return
	}
	s.sig, s.deadline = sig, time.Now().Add(timeout)
	close(s.requested)
}

// signalEscapes runs on the waiter when the stop is requested while the
// leader runs: it signals the unit's processes outside the group, found
// by descent from the leader and by their OVRSEER_UNIT among the adopted.
func (u *Unit) signalEscapes(a *attempt) []*reaper.Escape {
	name := u.spec.Name
	early := reaper.GroupEscapes(a.pid, name)
	early = merge(early, reaper.LeftGroup(a.pid, reaper.Escapes(func(unit string) bool { return unit == name })))
	reaper.Signal(early, a.esc.sig)
	return early
}

// stopEscapes stops the processes of this unit that left its group and
// that ovrseer adopted, found by their OVRSEER_UNIT, with those signalled
// when the stop began (early): the stop signal and SIGCONT to those not
// signalled yet, SIGKILL at the stop's deadline (the stop timeout from now
// when no stop was requested). The waiter calls it once the group is gone.
func (u *Unit) stopEscapes(a *attempt, early []*reaper.Escape) []*reaper.Escape {
	name := u.spec.Name
	escapes := merge(early, reaper.LeftGroup(a.pid, reaper.Escapes(func(unit string) bool { return unit == name })))
	if len(escapes) == 0 {
		return nil
	}
	sig, deadline := u.spec.StopSignal, time.Now().Add(u.spec.StopTimeout)
	if closed(a.esc.requested) {
		sig, deadline = a.esc.sig, a.esc.deadline
	}
	reaper.StopBy(escapes, sig, deadline)
	return escapes
}

// merge adds to have the escapes of more it does not hold yet (by pid, for
// one still alive); the others of more are released.
func merge(have, more []*reaper.Escape) []*reaper.Escape {
	var dup []*reaper.Escape
next:
	for _, m := range more {
		for _, h := range have {
			if h.Pid == m.Pid && !h.Gone() {
				dup = append(dup, m)
				continue next
			}
		}
		have = append(have, m)
	}
	reaper.Release(dup)
	return have
}
