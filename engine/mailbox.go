package engine

import (
	"sync"
	"syscall"

	"github.com/ovrseer/ovrseer/unit"
)

// noteKind says what a note tells the lifecycle goroutine.
type noteKind uint8

const (
	noteUnit     noteKind = iota // proc, ev: a unit event the lifecycle cares about
	noteQuit                     // a quit request (Quit, ctx cancelled)
	noteSignal                   // sig: ovrseer got a signal
	noteExit                     // code, reason: an explicit exit (ctx.exit)
	noteStopped                  // proc: a stop the lifecycle asked for is over
	noteGateDone                 // err: the running gate list finished
)

// note is one notification for the lifecycle goroutine.
type note struct {
	kind   noteKind
	proc   int
	ev     unit.Event
	sig    syscall.Signal
	code   int
	reason string
	err    error
	once   bool // noteUnit: the process runs for RunOnce
}

// mailbox is an unbounded queue of notes with one reader (the lifecycle
// goroutine). Posting never blocks, so unit callbacks can post while the
// lifecycle goroutine calls into units.
type mailbox struct {
	ready chan struct{} // cap 1, signalled when notes become waiting

	mu    sync.Mutex // guards notes
	notes []note
}

func newMailbox() *mailbox { return &mailbox{ready: make(chan struct{}, 1)} }

func (m *mailbox) post(n note) {
	m.mu.Lock()
	m.notes = append(m.notes, n)
	m.mu.Unlock()
	select {
	case m.ready <- struct{}{}:
	default:
	}
}

// take appends the waiting notes to dst.
func (m *mailbox) take(dst []note) []note {
	m.mu.Lock()
	dst = append(dst, m.notes...)
	clear(m.notes)
	m.notes = m.notes[:0]
	m.mu.Unlock()
	return dst
}
