package unit

import "sync"

// mailbox is the actor's unbounded command queue: posting never blocks, so
// the owner's callbacks (OnEvent, OnLine) may call Start, Stop, Restart, ...
// and no command is lost once the actor has ended.
type mailbox struct {
	ready chan struct{} // cap 1: commands are waiting

	mu     sync.Mutex // guards:
	q      []command
	closed bool
}

func newMailbox() *mailbox { return &mailbox{ready: make(chan struct{}, 1)} }

// post queues c; false once the mailbox is closed.
func (m *mailbox) post(c command) bool {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return false
	}
	m.q = append(m.q, c)
	m.mu.Unlock()
	select {
	case m.ready <- struct{}{}:
	default:
	}
	return true
}

// take returns the queued commands in order.
func (m *mailbox) take() []command {
	m.mu.Lock()
	defer m.mu.Unlock()
	q := m.q
	m.q = nil
	return q
}

// close refuses further commands and returns those never taken.
func (m *mailbox) close() []command {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	q := m.q
	m.q = nil
	return q
}
