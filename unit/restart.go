package unit

import (
	"fmt"
	"time"
)

// settle decides what an exit outside a requested stop means and enters
// the state that follows, reported by exitEv: completion (exit 0 once
// ready, or any of Spec.OkCodes; any exit satisfying a ready.exit, any exit of a Final process) or
// a crash (anything else, including a failed or unfinished readiness).
func (u *Unit) settle(a *attempt, e exitInfo, exitEv Event) {
	switch {
	case a.failReason != "":
		u.crash(a, &e, a.failReason, exitEv)
	case u.state == StateStarting && u.exitCheckPassed(a, e):
		if a.pending == 0 {
			u.complete(a, exitEv, Event{Kind: EventReady, Pid: a.pid, Duration: e.at.Sub(a.start)})
			return
		}
		u.complete(a, exitEv)
	case u.spec.Final:
		u.setState(StateCompleted, exitEv) // the result, never a crash
	case u.state == StateStarting:
		a.failReason = fmt.Sprintf("readiness: exited before ready (%s)", e.reason())
		u.crash(a, &e, a.failReason, exitEv)
	case u.spec.ok(e):
		u.complete(a, exitEv)
	default:
		u.crash(a, &e, e.reason(), exitEv)
	}
}

// exitCheckPassed marks the ready.exit checks that e satisfies.
func (u *Unit) exitCheckPassed(a *attempt, e exitInfo) bool {
	ok := false
	for i, c := range u.spec.Ready {
		if c.Kind == CheckExit && e.sig == 0 && (e.code == c.Code || c.Code == OkCode && u.spec.ok(e)) && !a.passed[i] {
			a.passed[i] = true
			a.pending--
			ok = true
		}
	}
	return ok
}

func (u *Unit) policy(a *attempt) RestartPolicy {
	if a.once || u.spec.Final {
		return RestartNever
	}
	return u.spec.Restart
}

// complete handles a successful exit, reported by report: restarted only
// under RestartAlways.
func (u *Unit) complete(a *attempt, report ...Event) {
	always := u.policy(a) == RestartAlways
	if always && u.streak >= u.spec.MaxRestarts {
		reason := fmt.Sprintf("restarts exhausted (%d)", u.spec.MaxRestarts)
		u.setState(StateFailed, append(report, Event{Kind: EventFailed, Reason: reason})...)
		return
	}
	u.setState(StateCompleted, report...)
	if always {
		u.scheduleRestart()
	}
}

// crash enters crashed (reported by report, the exit) and has the crash
// report written; EventCrash follows once it is (see reportCrash), then
// the restart or the failure the policy decides. e is nil when the process
// never started.
func (u *Unit) crash(a *attempt, e *exitInfo, reason string, report ...Event) {
	policy := u.policy(a)
	will := policy != RestartNever && u.streak < u.spec.MaxRestarts
	ev := Event{Kind: EventCrash, Reason: reason, Restarts: u.total, WillRestart: will}
	if e != nil {
		ev.ExitCode, ev.Signal = e.code, e.sig
	}
	var fail string
	switch {
	case will:
	case policy == RestartNever || a.failReason != "": // name the failed check
		fail = reason
	default:
		fail = fmt.Sprintf("restarts exhausted (%d)", u.spec.MaxRestarts)
	}
	u.setState(StateCrashed, report...)
	u.reportCrash(a, e, ev, fail)
}

// crashed goes on after a crash once its EventCrash can be published: the
// restart (its backoff starts now) or, when fail is set, the failure.
func (u *Unit) crashed(ev Event, fail string) {
	if fail == "" {
		u.emit(ev)
		u.scheduleRestart()
		return
	}
	u.setState(StateFailed, ev, Event{Kind: EventFailed, Reason: fail})
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
