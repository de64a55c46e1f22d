package engine

// Before the run ends because every main process has ended, the hooks
// queued for the events published so far run first (docs/lifecycle.md): a
// hook answering the last exit (a crash hook that starts a process) is not
// cut short by the shutdown, and the end is decided again after it.

// SetDrain registers fn, which returns once the hooks of every event
// published before the call have run (starlib's Runner). Call it before Run.
func (e *Engine) SetDrain(fn func()) { e.drain.Store(&fn) }

// drainFirst reports whether the end must wait for a drain: it starts one
// if none runs; noteDrained comes when it is over.
func (r *run) drainFirst() bool {
	fn := r.e.drain.Load()
	if fn == nil || r.drained {
		return false
	}
	if !r.draining {
		r.draining = true
		go func() {
			(*fn)()
			r.e.mbox.Post(note{kind: noteDrained})
		}()
	}
	return true
}
