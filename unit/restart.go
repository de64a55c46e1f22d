package unit

import (
	"fmt"
	"time"
)

// settle decides what an exit outside a requested stop means: completion
// (exit 0 once ready, or any exit satisfying a ready.exit) or a crash
// (anything else, including a failed or unfinished readiness).
func (u *Unit) settle(a *attempt, e exitInfo) {
	switch {
	case a.failReason != "":
		u.crash(a, &e, a.failReason)
	case u.state == StateStarting && u.exitCheckPassed(a, e):
		if a.pending == 0 {
			u.setState(StateReady)
			u.emit(Event{Kind: EventReady, Pid: a.pid, Duration: e.at.Sub(a.start)})
		}
		u.complete(a)
	case u.state == StateStarting:
		a.failReason = fmt.Sprintf("readiness: exited before ready (%s)", e.reason())
		u.crash(a, &e, a.failReason)
	case e.clean():
		u.complete(a)
	default:
		u.crash(a, &e, e.reason())
	}
}

// exitCheckPassed marks the ready.exit checks that e satisfies.
func (u *Unit) exitCheckPassed(a *attempt, e exitInfo) bool {
	ok := false
	for i, c := range u.spec.Ready {
		if c.Kind == CheckExit && e.sig == 0 && e.code == c.Code && !a.passed[i] {
			a.passed[i] = true
			a.pending--
			ok = true
		}
	}
	return ok
}

func (u *Unit) policy(a *attempt) RestartPolicy {
	if a.once {
		return RestartNever
	}
	return u.spec.Restart
}

// complete handles a successful exit: restarted only under RestartAlways.
func (u *Unit) complete(a *attempt) {
	if u.policy(a) != RestartAlways {
		u.setState(StateCompleted)
		return
	}
	if u.streak >= u.spec.MaxRestarts {
		u.fail(fmt.Sprintf("restarts exhausted (%d)", u.spec.MaxRestarts))
		return
	}
	u.setState(StateCompleted)
	u.scheduleRestart()
}

// crash reports a crash (e is nil when the process never started) and
// restarts or fails per the policy.
func (u *Unit) crash(a *attempt, e *exitInfo, reason string) {
	policy := u.policy(a)
	will := policy != RestartNever && u.streak < u.spec.MaxRestarts
	ev := Event{Kind: EventCrash, Reason: reason, Restarts: u.streak, WillRestart: will}
	if e != nil {
		ev.ExitCode, ev.Signal = e.code, e.sig
	}
	ev.Report = u.writeReport(a, e, ev)
	u.emit(ev)
	switch {
	case will:
		u.setState(StateCrashed)
		u.scheduleRestart()
	case policy == RestartNever || a.failReason != "": // name the failed check
		u.fail(reason)
	default:
		u.fail(fmt.Sprintf("restarts exhausted (%d)", u.spec.MaxRestarts))
	}
}

func (u *Unit) fail(reason string) {
	u.emit(Event{Kind: EventFailed, Reason: reason})
	u.setState(StateFailed)
}

// scheduleRestart arms the restart timer with the next backoff delay.
func (u *Unit) scheduleRestart() {
	u.restartDelay = backoff(u.spec.Backoff, u.spec.MaxBackoff, u.streak)
	u.streak++
	u.total++
	u.publish()
	u.restartTimer = time.NewTimer(u.restartDelay)
}

// backoff is base·2^n capped at limit: the delay before the restart that
// follows n consecutive restarts.
func backoff(base, limit time.Duration, n int) time.Duration {
	d := base
	for ; n > 0 && d < limit; n-- {
		d *= 2
	}
	return min(d, limit)
}
