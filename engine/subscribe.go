package engine

import "sync"

// defaultLogBuffer is SubscribeOptions.LogBuffer's zero value.
const defaultLogBuffer = 65536

// SubscribeOptions tune a subscription.
type SubscribeOptions struct {
	// LogBuffer bounds the process:log events held for a subscriber that has
	// not taken them; beyond it they are dropped and counted. 0 means 65536.
	// Other events are never dropped.
	LogBuffer int
}

// Subscription is one subscriber's queue of events. Publishing never waits
// for it: it appends under the subscription's own short lock.
type Subscription struct {
	e        *Engine
	limit    int
	ready    chan struct{} // cap 1, signalled when the queue becomes non-empty
	done     chan struct{}
	doneOnce sync.Once

	mu     sync.Mutex // guards the fields below
	q      []Event
	spare  []Event // the previous queue's array, reused by the next one
	logs   int     // process:log events in q
	closed bool
}

func newSubscription(e *Engine, opts SubscribeOptions) *Subscription {
	limit := opts.LogBuffer
	if limit <= 0 {
		limit = defaultLogBuffer
	}
	return &Subscription{e: e, limit: limit, ready: make(chan struct{}, 1), done: make(chan struct{})}
}

// Ready is signalled whenever events are waiting to be taken.
func (s *Subscription) Ready() <-chan struct{} { return s.ready }

// Done is closed when the event stream ends (after lifecycle:exit, once no
// Hold keeps it open) or the subscription was closed; Take still returns
// what is left.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Take appends every waiting event to dst, in publication order, and returns
// it. Lost log events appear as one EventsDropped event where they were lost.
func (s *Subscription) Take(dst []Event) []Event {
	s.mu.Lock()
	q := s.q
	s.q, s.spare = s.spare[:0], nil
	s.logs = 0
	s.mu.Unlock()
	if len(q) == 0 {
		s.putSpare(q)
		return dst
	}
	dst = append(dst, q...)
	clear(q) // drop references to lines the caller now owns
	s.putSpare(q)
	return dst
}

func (s *Subscription) putSpare(q []Event) {
	s.mu.Lock()
	if s.spare == nil && cap(q) <= 4*s.limit {
		s.spare = q[:0]
	}
	s.mu.Unlock()
}

// Close ends the subscription: no more events are queued and Done is closed.
func (s *Subscription) Close() {
	if s.e != nil {
		s.e.unsubscribe(s)
	}
	s.finish()
}

// finish ends the subscription's stream: nothing more is queued, Done is
// closed, Take still returns what is left.
func (s *Subscription) finish() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.doneOnce.Do(func() { close(s.done) })
}

// push queues one event. A log event beyond the subscriber's LogBuffer is
// dropped and counted in an EventsDropped event at that point of the queue
// (consecutive losses share one). It never blocks beyond the short lock.
func (s *Subscription) push(ev *Event) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	wasEmpty := len(s.q) == 0
	switch {
	case ev.Type != ProcessLog:
		s.q = append(s.q, *ev)
	case s.logs < s.limit:
		s.logs++
		s.q = append(s.q, *ev)
	case len(s.q) > 0 && s.q[len(s.q)-1].Type == EventsDropped:
		s.q[len(s.q)-1].Count++
	default:
		s.q = append(s.q, Event{Type: EventsDropped, Time: ev.Time, Count: 1})
	}
	s.mu.Unlock()
	if wasEmpty {
		select {
		case s.ready <- struct{}{}:
		default:
		}
	}
}
