package engine

import "sync"

// defaultLogBuffer is SubscribeOptions.LogBuffer's zero value.
const defaultLogBuffer = 65536

// SubscribeOptions tune a subscription. A subscriber is a record or a
// view (docs/events.md).
type SubscribeOptions struct {
	// Record makes the subscriber a record (the headless output, the
	// events file, log files): it never loses an event. When it holds a
	// process's full share of lines (8 Ki lines or 1 MiB, counting those
	// taken until Take or Each returns), that process's pipes are not read
	// until the subscriber has dealt with them, so the process waits on its
	// own writes; no other process, and neither the engine nor
	// a unit's goroutine, ever waits for it. A record whose destination
	// fails must be closed (and reported with Engine.RecordFailed): it
	// then holds nothing back again. LogBuffer does not apply.
	Record bool
	// LogBuffer bounds the process:log events held for a view that has not
	// taken them; beyond it they are dropped and counted, per process, in an
	// events:dropped event where they were lost. 0 means 65536. Other
	// events are never dropped.
	LogBuffer int
	// NoProcessLines keeps the log lines of processes from the subscriber
	// (hook output, published like any other event, still reaches it): for
	// one that would drop them anyway, so that it costs nothing per line.
	NoProcessLines bool
	// Reacts marks a subscriber that publishes in reaction to events (the
	// hook queue: a hook's output, its ctx.exit). Each event reaches it
	// after every other subscriber, so what it publishes in answer follows
	// the event everywhere (a hook's line never precedes its crash line).
	Reacts bool
}

// Subscription is one subscriber's queue of events. Publishing never waits
// for it: it appends under the subscription's own short lock. Only a
// process's pipe reader may wait for a record (waitRoom), outside any lock.
type Subscription struct {
	e        *Engine
	record   bool
	reacts   bool          // SubscribeOptions.Reacts: it comes last in Engine.subs
	noLines  bool          // SubscribeOptions.NoProcessLines
	limit    int           // a view's LogBuffer
	ready    chan struct{} // cap 1, signalled when the queue becomes non-empty
	done     chan struct{}
	doneOnce sync.Once

	mu     sync.Mutex // guards the fields below
	q      queue
	logs   int // process:log events in q
	closed bool
	queued []share       // a record's lines per process (by entry.src) queued since the last take
	taken  []share       // ... and taken but not yet handed back (recycle)
	room   chan struct{} // closed at the next take; made by a waiting reader
	marks  []*Event      // a view's events:dropped per entry.src since the last take
	share  share         // a record's bound per process: recordShare unless a test lowers it
}

func newSubscription(e *Engine, opts SubscribeOptions) *Subscription {
	limit := opts.LogBuffer
	if limit <= 0 {
		limit = defaultLogBuffer
	}
	return &Subscription{e: e, record: opts.Record, reacts: opts.Reacts, noLines: opts.NoProcessLines, limit: limit, share: recordShare,
		ready: make(chan struct{}, 1), done: make(chan struct{})}
}

// SetLogBuffer changes a view's LogBuffer (0 means 65536) from now on.
func (s *Subscription) SetLogBuffer(n int) {
	if n <= 0 {
		n = defaultLogBuffer
	}
	s.mu.Lock()
	s.limit = n
	s.mu.Unlock()
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

// take empties the queue and returns its blocks. A record's lines count
// against their processes' shares until the blocks come back (recycle).
func (s *Subscription) take() [][]entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs = 0
	s.handOver()
	clear(s.marks)
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
	clear(s.taken) // the record's lines are written: its readers go on
	s.wakeRoom()
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
	s.wakeRoom()
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
// empty. A view drops a log event beyond its LogBuffer and counts it in an
// EventsDropped event at that point of the queue (one per process while
// the queue stays full); a record keeps every entry and reports whether a
// process's share is now full. It never blocks beyond the short lock.
func (s *Subscription) pushLines(ens []entry) (full bool) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	wasEmpty := s.q.n == 0
	if s.record {
		s.q.push(ens)
		full = s.hold(ens)
	}
	for !s.record && len(ens) > 0 {
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
	return full
}

// fits counts the leading entries of ens that are queued as they are: any
// but log events beyond the LogBuffer. It counts them in s.logs. Losses
// after another event are told after it.
func (s *Subscription) fits(ens []entry) int {
	n := 0
	for n < len(ens) {
		if !ens[n].isLog() {
			clear(s.marks)
		} else if s.logs == s.limit {
			break
		} else {
			s.logs++
		}
		n++
	}
	return n
}

// drop counts a lost log event in its process's EventsDropped event since
// the last take, queuing one where the first of them was lost.
func (s *Subscription) drop(en *entry) {
	src, name := int(en.src), en.processName()
	if src < len(s.marks) && s.marks[src] != nil && s.marks[src].Process == name {
		s.marks[src].Count++
		return
	}
	ev := &Event{Type: EventsDropped, Time: en.when(), Process: name, Group: groupNames[en.group], Count: 1}
	if en.ev != nil {
		ev.Group = en.ev.Group
	}
	s.q.push([]entry{{ev: ev}})
	if src >= len(s.marks) {
		s.marks = append(s.marks, make([]*Event, src+1-len(s.marks))...)
	}
	s.marks[src] = ev
}

func (s *Subscription) signal() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}
