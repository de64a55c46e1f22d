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
	q      queue
	logs   int // process:log events in q
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
	bs := s.take()
	for _, b := range bs {
		for i := range b {
			dst = append(dst, Event{})
			ev := &dst[len(dst)-1]
			if b[i].ev != nil {
				*ev = *b[i].ev
				continue
			}
			ev.Type = ProcessLog // the rest of *ev is zero
			b[i].logFields(ev)
		}
	}
	s.recycle(bs)
	return dst
}

// Each calls f with every waiting event, in publication order, like Take
// but without a batch: *ev is reused, so it is f's only during the call
// (its strings and slices stay valid) and f must not change it. f runs on
// the caller's goroutine, with no lock held.
func (s *Subscription) Each(f func(ev *Event)) {
	bs := s.take()
	ev := new(Event)
	plain := false // *ev holds a log event: only its log fields change
	for _, b := range bs {
		for i := range b {
			if plain && b[i].ev == nil {
				b[i].logFields(ev)
			} else {
				b[i].event(ev)
				plain = b[i].ev == nil
			}
			f(ev)
		}
	}
	s.recycle(bs)
}

// take empties the queue and returns its blocks.
func (s *Subscription) take() [][]entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs = 0
	return s.q.take()
}

// recycle clears taken blocks (the caller owns their lines now) and gives
// them back to the queue.
func (s *Subscription) recycle(bs [][]entry) {
	if bs == nil {
		return
	}
	for _, b := range bs {
		clear(b)
	}
	s.mu.Lock()
	s.q.recycled(bs)
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

// push queues one event.
func (s *Subscription) push(ev *Event) {
	var one [1]entry
	if !logEntry(&one[0], ev) {
		c := *ev // a copy the publisher cannot change
		one[0].ev = &c
	}
	s.pushLines(one[:])
}

// pushLines queues entries in order and signals Ready if the queue was
// empty. A log event beyond the subscriber's LogBuffer is dropped and
// counted in an EventsDropped event at that point of the queue
// (consecutive losses share one). It never blocks beyond the short lock.
func (s *Subscription) pushLines(ens []entry) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	wasEmpty := s.q.n == 0
	for len(ens) > 0 {
		if n := s.fits(ens); n > 0 { // the common case: a run that fits, in one copy
			s.q.push(ens[:n])
			ens = ens[n:]
			continue
		}
		s.drop(&ens[0])
		ens = ens[1:]
	}
	s.mu.Unlock()
	if wasEmpty {
		s.signal()
	}
}

// fits counts the leading entries of ens that are queued as they are: any
// but log events beyond the LogBuffer. It counts them in s.logs.
func (s *Subscription) fits(ens []entry) int {
	n := 0
	for n < len(ens) {
		if ens[n].isLog() {
			if s.logs == s.limit {
				break
			}
			s.logs++
		}
		n++
	}
	return n
}

// drop counts a lost log event in the EventsDropped event at the end of the
// queue, adding one if needed.
func (s *Subscription) drop(en *entry) {
	if last := s.q.last(); last != nil && last.dropped() {
		last.ev.Count++
		return
	}
	s.q.push([]entry{{ev: &Event{Type: EventsDropped, Time: en.when(), Count: 1}}})
}

func (s *Subscription) signal() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}
