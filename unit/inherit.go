package unit

// Inherit makes a unit the continuation of another one (a process whose
// declaration changed on a reload: docs/ovrfile.md, reload). The new unit
// holds every command but Close until From has closed (its Close
// returned): the two never run a process at the same time. Then it takes over From's log lines (as
// many as its own ring holds), its restart count, attempt count,
// crash-report count and last exit, so the process's history reads on.
type Inherit struct {
	From *Unit
	// Reason, when set, reports the next spawn as a restart for Reason
	// (EventRestart, counted in Status.Restarts), as RestartFor would.
	Reason string
}

// inheriting is closed once the unit replaced has ended, nil when there
// is none or it was taken over.
func (u *Unit) inheriting() <-chan struct{} {
	if u.inherit == nil {
		return nil
	}
	return u.inherit.From.done
}

// adopt takes over what the unit replaced left: it has ended, so its
// actor fields are read after its goroutine was done with them.
func (u *Unit) adopt() {
	in := u.inherit
	from := in.From
	u.inherit = nil // nothing keeps the unit replaced alive now
	u.ring.AppendAll(from.ring.Last(u.ring.Cap()))
	u.spawns, u.total, u.lastExit = from.spawns, from.total, from.lastExit
	u.reports, u.unreported = from.reports, from.unreported
	if in.Reason != "" {
		u.restartWhy = in.Reason
		if u.spawns > 0 {
			u.total++
		}
	}
	u.publish()
	held := u.deferred
	u.deferred = nil
	for _, c := range held {
		u.command(c)
	}
}
