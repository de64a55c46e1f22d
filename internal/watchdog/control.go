package watchdog

import (
	"os"
	"strings"
	"syscall"
	"time"
)

// lockRelease bounds the wait for a dead run's lock to be released.
const lockRelease = 3 * time.Second

// RemoveControl tells the watchdog the control socket and lock of this
// run (docs/api.md): when ovrseer is gone, it removes both, unless another
// run already holds the lock. It does not start the watchdog (the first
// process group does), nor wait. Paths hold no newline or tab.
func RemoveControl(socket, lock string) {
	if strings.ContainsAny(socket+lock, "\n\t") {
		return
	}
	dog.tell([]byte("C" + socket + "\t" + lock + "\n"))
}

// tell records line for the watchdog without starting it: a watchdog that
// runs (or is starting) gets it now, one started later at its start.
func (d *watchdog) tell(line []byte) {
	if !d.enabled.Load() {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.remember(line)
	if d.started && !d.starting {
		d.write(line)
		return
	}
	d.pending = append(d.pending, line...)
}

// removeControl removes a dead run's socket and lock: it takes the lock
// first, so that a run that started meanwhile keeps its own.
func removeControl(line string) {
	socket, lock, ok := strings.Cut(line, "\t")
	if !ok {
		return
	}
	f, err := os.Open(lock)
	if err != nil {
		return
	}
	defer f.Close()
	// A killed process's files close one by one: the end of the watchdog's
	// pipe may be seen before the dead run's lock is released. So a held
	// lock is tried again for a while; one still held is a new run's.
	deadline := time.Now().Add(lockRelease)
	for syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		if time.Now().After(deadline) {
			return // a new run holds it
		}
		time.Sleep(20 * time.Millisecond) // nothing to wait on: flock has no timeout
	}
	os.Remove(socket)
	os.Remove(lock)
}
