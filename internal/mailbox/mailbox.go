// Package mailbox is the one unbounded queue the actors of ovrseer (the
// engine's lifecycle goroutine, each unit) read their messages from.
package mailbox

import "sync"

// Mailbox is an unbounded queue with one reader. Posting never blocks, so
// the reader's own callbacks may post; once closed it refuses messages, and
// Close hands back those never taken, so none is lost unseen.
type Mailbox[T any] struct {
	ready chan struct{} // cap 1: messages are waiting

	mu     sync.Mutex // guards:
	q      []T
	closed bool
}

// New returns an empty, open mailbox.
func New[T any]() *Mailbox[T] { return &Mailbox[T]{ready: make(chan struct{}, 1)} }

// Ready is signalled when messages become waiting; after a receive, Take
// returns every message posted before it.
func (m *Mailbox[T]) Ready() <-chan struct{} { return m.ready }

// Post queues v; false once the mailbox is closed.
func (m *Mailbox[T]) Post(v T) bool {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return false
	}
	m.q = append(m.q, v)
	m.mu.Unlock()
	select {
	case m.ready <- struct{}{}:
	default:
	}
	return true
}

// Take appends the waiting messages to dst, in order, and returns it.
func (m *Mailbox[T]) Take(dst []T) []T {
	m.mu.Lock()
	defer m.mu.Unlock()
	dst = append(dst, m.q...)
	clear(m.q) // drop references held by the backing array
	m.q = m.q[:0]
	return dst
}

// Close refuses further messages and returns those never taken.
func (m *Mailbox[T]) Close() []T {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	q := m.q
	m.q = nil
	return q
}
