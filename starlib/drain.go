package starlib

// Drain returns once the hooks of every event published before the call
// have run, or the runner is done. The engine calls it before the run ends
// because every main process has ended, so that a hook answering the last
// exit (a crash hook that starts a process) runs before the shutdown.
func (r *Runner) Drain() {
	reply := make(chan struct{})
	select {
	case r.drains <- reply:
	case <-r.done:
		return
	}
	select {
	case <-reply:
	case <-r.done:
	}
}
