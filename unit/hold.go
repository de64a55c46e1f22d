package unit

// Hold stops the process like Stop and leaves it pending: it waits for
// another process (a dependency restarting) and is started again with
// RestartFor, or failed with Fail. The returned channel is closed once it
// is pending (at once when nothing ran).
func (u *Unit) Hold() <-chan struct{} {
	done := make(chan struct{})
	if !u.send(command{kind: cmdHold, done: done}) {
		close(done)
	}
	return done
}

// Fail puts a process that Hold left pending (or a stopped one) in failed
// for good, with EventFailed carrying reason (e.g. "deps: db failed").
func (u *Unit) Fail(reason string) { u.send(command{kind: cmdFail, reason: reason}) }

// holdOrFail runs cmdHold and cmdFail.
func (u *Unit) holdOrFail(c command) {
	if c.kind == cmdFail {
		if u.state == StatePending || u.state == StateStopped {
			u.setState(StateFailed, Event{Kind: EventFailed, Reason: c.reason})
		}
		return
	}
	u.afterStop, u.restartWhy = cmdNone, ""
	u.stop(false)
	if u.state == StateStopping {
		u.holdAfter = true
		u.stopWaiters = append(u.stopWaiters, c.done)
		return
	}
	if u.state == StateStopped {
		u.setState(StatePending)
	}
	close(c.done)
}
