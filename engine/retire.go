package engine

// A process the Ovrfile itself stops (ctx.stop in a hook) has ended for
// good as far as the end of the run goes (docs/lifecycle.md): stopping the
// last running main process that way ends the run, as its exit would.
// Stopped by the user (the TUI, the control API), it has not: the user may
// start it again. Starting it again undoes it.

// Retire stops a process and waits (bounded by its stop timeout) until its
// group is gone, as Stop, and counts it as ended for good until it spawns
// again.
func (e *Engine) Retire(name string) error {
	if ok, err := e.onCopies(name, e.Retire); ok {
		return err
	}
	p, err := e.lookup(name)
	if err != nil {
		return err
	}
	e.mbox.Post(note{kind: noteRetire, proc: p.idx})
	<-p.unit.Stop()
	return nil
}
