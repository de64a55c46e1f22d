package control

import (
	"sync"

	"github.com/ovrseer/ovrseer/engine"
)

// historySize is how many events the history keeps.
const historySize = 10000

// record is one event of the history with its sequence number (1, 2, ...).
type record struct {
	seq uint64
	ev  engine.Event
}

// history keeps the last historySize events but process:log ones (hook
// output, which is ovrseer's own, excepted), each numbered, for
// GET /v1/events. It drains its own engine subscription on one goroutine;
// followers wait on changed, which is closed and replaced at each append.
type history struct {
	mu      sync.Mutex
	ring    []record // the last historySize records, oldest at start
	start   int
	next    uint64 // seq of the next record
	changed chan struct{}
	over    bool // the event stream ended
}

func newHistory() *history {
	return &history{next: 1, changed: make(chan struct{})}
}

// keep reports whether the history keeps ev: every event but the log
// lines of processes, and the history's own losses of those (they are not
// a reader's: a reader that loses lines is told so in its own stream).
func keep(ev *engine.Event) bool {
	if ev.Type == engine.ProcessLog || ev.Type == engine.EventsDropped {
		return ev.Group == engine.Hooks
	}
	return true
}

// run drains sub until its stream ends.
func (h *history) run(sub *engine.Subscription) {
	defer h.end()
	for {
		select {
		case <-sub.Ready():
			sub.Each(h.add)
		case <-sub.Done():
			sub.Each(h.add)
			return
		}
	}
}

// add appends a copy of ev if the history keeps it.
func (h *history) add(ev *engine.Event) {
	if !keep(ev) {
		return
	}
	h.mu.Lock()
	r := record{seq: h.next, ev: *ev}
	h.next++
	if len(h.ring) < historySize {
		h.ring = append(h.ring, r)
	} else {
		h.ring[h.start] = r
		h.start = (h.start + 1) % historySize
	}
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
}

func (h *history) end() {
	h.mu.Lock()
	h.over = true
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
}

// since appends to dst the records after seq (at most max of them, the
// oldest first) and returns it, with how many records after seq are gone
// from the ring, a channel closed at the next change, and whether the
// stream is over once out is written.
func (h *history) since(seq uint64, max int, dst []record) (out []record, lost uint64, changed <-chan struct{}, over bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := len(h.ring)
	if n > 0 {
		first := h.ring[h.start].seq
		if seq+1 < first {
			lost = first - seq - 1
		}
		skip := 0
		if seq >= first {
			skip = int(seq - first + 1)
		}
		for i := skip; i < n && len(dst) < max; i++ {
			dst = append(dst, h.ring[(h.start+i)%n])
		}
	}
	at := seq
	if len(dst) > 0 {
		at = dst[len(dst)-1].seq
	}
	return dst, lost, h.changed, h.over && at+1 >= h.next
}

// last is the seq of the newest record (0 when none).
func (h *history) last() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.next - 1
}
