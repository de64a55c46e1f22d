package unit

import (
	"context"
	"fmt"
)

// stopCmdIdx marks the checkResult of a stop command (Spec.StopCmd).
const stopCmdIdx = -2

// runStopCmd runs Spec.StopCmd, in Dir with the process's environment, to
// stop a instead of sending the stop signal; the kill timer runs as with a
// signal (SIGKILL to the group at StopTimeout). Its failure is reported and
// the stop signal sent after all (see stopCmdResult).
func (u *Unit) runStopCmd(a *attempt) {
	ctx, cancel := context.WithTimeout(context.Background(), u.spec.StopTimeout)
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		defer cancel()
		err := probeExec(ctx, Check{Kind: CheckExec, Argv: u.spec.StopCmd}, u.spec)
		if err != nil {
			a.report(checkResult{a: a, idx: stopCmdIdx, err: err})
		}
	}()
}

// stopCmdResult handles a failed stop command of the attempt being
// stopped: reported, then the stop signal.
func (u *Unit) stopCmdResult(r checkResult) {
	a := u.cur
	if a == nil || r.a != a || u.state != StateStopping {
		return
	}
	u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: stop_cmd: %w; sending %s", u.spec.Name, r.err, SignalName(u.spec.StopSignal))})
	u.signalGroup(a, u.spec.StopSignal)
}
