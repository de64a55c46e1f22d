package watchdog

import (
	"os"
	"strings"
	"syscall"
)

// RemoveControl tells the watchdog the control socket and lock of this
// run (docs/api.md): when ovrseer is gone, it removes both, unless another
// run already holds the lock. Call it once the socket listens; it starts
// the watchdog if none runs yet. Paths hold no newline.
func RemoveControl(socket, lock string) {
	if strings.ContainsAny(socket+lock, "\n\t") {
		return
	}
	dog.sendSoon([]byte("C" + socket + "\t" + lock + "\n"))
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
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return // a new run holds it
	}
	os.Remove(socket)
	os.Remove(lock)
}
