package engine

import (
	"sync"
	"syscall"

	"github.com/ovrseer/ovrseer/unit"
)

// Stop requests and who forces (docs/cli.md, "Signals" and "Exit codes"):
//
//   - A request from the user (a signal, Quit: the TUI's q or Ctrl-C, Run's
//     ctx) starts the orderly shutdown unless it already began. The second
//     request from the user forces it, however the shutdown began: a single
//     request during a shutdown begun by exit_with, Exit, the timeout or the
//     end of every main process changes nothing.
//   - A dead output (a closed stdout, a hung-up terminal) starts the
//     shutdown as a first request (exit 141 / 129) when it has not begun,
//     and is otherwise ignored: it never forces.
//   - A hang-up counts once: the SIGHUPs and write errors (EIO) one closed
//     terminal causes are one request, not several.
//
// The count lives outside the lifecycle goroutine, under its own lock, so
// that requests still count after Run returned (Forced then cuts short what
// the caller still waits for).
type requests struct {
	mu     sync.Mutex // guards the fields below
	begun  bool       // the shutdown began, for whatever reason
	count  int        // stop requests counted
	hungUp bool       // a hang-up was counted: later ones are the same one
	forced chan struct{}
}

func newRequests() *requests { return &requests{forced: make(chan struct{})} }

// verdict is what one request does.
type verdict uint8

const (
	ignored verdict = iota // nothing (the shutdown is under way, or it was forced)
	starts                 // the orderly shutdown begins
	forces                 // the shutdown is forced
)

// user counts a request from the user; hangup marks a SIGHUP.
func (q *requests) user(hangup bool) verdict {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.count >= 2 || (hangup && q.hungUp) {
		return ignored
	}
	q.hungUp = q.hungUp || hangup
	q.count++
	switch {
	case q.count >= 2:
		close(q.forced)
		return forces
	case q.begun:
		return ignored
	}
	q.begun = true
	return starts
}

// lost handles a dead output; hangup marks a hung-up terminal.
func (q *requests) lost(hangup bool) verdict {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.hungUp = q.hungUp || hangup
	if q.begun {
		return ignored
	}
	q.begun, q.count = true, 1
	return starts
}

// begin records that the shutdown began for another reason.
func (q *requests) begin() {
	q.mu.Lock()
	q.begun = true
	q.mu.Unlock()
}

// Quit is a stop request from the user (the TUI's q): the first starts the
// orderly shutdown (exit 0 unless something failed); the second forces it
// (exit 130).
func (e *Engine) Quit() { e.request("quit", 0, 130, false) }

// Signal is a stop request from the user because ovrseer got sig (SIGINT,
// SIGTERM, SIGHUP, SIGQUIT): the first starts the orderly shutdown (exit
// 128+n); the second forces it (exit 128+n of the second). Every SIGHUP
// after the first hang-up (SIGHUP or OutputLost(SIGHUP)) is the same
// hang-up and changes nothing.
func (e *Engine) Signal(sig syscall.Signal) {
	code := 128 + int(sig)
	e.request("signal "+unit.SignalName(sig), code, code, sig == syscall.SIGHUP)
}

// OutputLost reports a dead output: sig is SIGPIPE for a closed pipe,
// SIGHUP for a hung-up terminal. It starts the orderly shutdown (exit
// 128+n) as a first request unless the shutdown already began; it never
// forces it.
func (e *Engine) OutputLost(sig syscall.Signal) {
	if e.req.lost(sig == syscall.SIGHUP) == starts {
		e.mbox.Post(note{kind: noteStop, reason: "signal " + unit.SignalName(sig), code: 128 + int(sig)})
	}
}

// Forced is closed once a second request forced the shutdown (also when
// that happens after Run returned).
func (e *Engine) Forced() <-chan struct{} { return e.req.forced }

func (e *Engine) request(reason string, cause, forcedCode int, hangup bool) {
	switch e.req.user(hangup) {
	case starts:
		e.mbox.Post(note{kind: noteStop, reason: reason, code: cause})
	case forces:
		e.mbox.Post(note{kind: noteForce, code: forcedCode})
	}
}
