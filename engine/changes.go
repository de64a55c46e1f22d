package engine

import "sync"

// changes tells waiters that some process changed state: the channel
// Changed returns is closed at the next change (a broadcast without a
// queue, so a slow waiter costs nothing).
type changes struct {
	mu sync.Mutex // guards ch
	ch chan struct{}
}

func (c *changes) wait() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch == nil {
		c.ch = make(chan struct{})
	}
	return c.ch
}

func (c *changes) notify() {
	c.mu.Lock()
	if c.ch != nil {
		close(c.ch)
		c.ch = nil
	}
	c.mu.Unlock()
}

// StateChanged returns a channel that is closed when a process next
// changes state (after the change, and after the event that reports it
// was published). Some changes (stopping, stopped) have no event of their
// own: a view that shows states reads Snapshot when it fires.
func (e *Engine) StateChanged() <-chan struct{} { return e.changes.wait() }
