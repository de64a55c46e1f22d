package logger

import "sync"

// Ring keeps the most recent lines.
//
// One goroutine appends; any number read. A plain mutex guards the slots: the
// writer takes it once per line, uncontended except while a reader copies
// (readers are rare: a crash report, a TUI snapshot, ctx.logs), and an
// uncontended Lock/Unlock is two atomic operations with no allocation. A
// lock-free ring would need a pointer per slot (an allocation per line) or
// torn reads of the string headers, so the mutex is the cheaper choice.
type Ring struct {
	mu sync.Mutex
	// guarded by mu:
	lines []Line // fixed length: the capacity
	next  int    // the slot the next Append writes
	n     int    // how many slots hold lines
}

// NewRing returns a ring keeping the last n lines (n < 1 means 1).
func NewRing(n int) *Ring {
	return &Ring{lines: make([]Line, max(n, 1))}
}

// Append adds a line, overwriting the oldest when full. O(1).
func (r *Ring) Append(l Line) {
	r.mu.Lock()
	r.lines[r.next] = l
	r.next++
	if r.next == len(r.lines) {
		r.next = 0
	}
	if r.n < len(r.lines) {
		r.n++
	}
	r.mu.Unlock()
}

// AppendAll adds ls in order, as many Appends would, under one lock: only
// the last Cap() of them can stay.
func (r *Ring) AppendAll(ls []Line) {
	if k := len(ls) - len(r.lines); k > 0 {
		ls = ls[k:]
	}
	r.mu.Lock()
	for len(ls) > 0 {
		k := copy(r.lines[r.next:], ls)
		ls = ls[k:]
		r.next += k
		if r.next == len(r.lines) {
			r.next = 0
		}
		r.n = min(r.n+k, len(r.lines))
	}
	r.mu.Unlock()
}

// Last returns up to n of the most recent lines, oldest first, in a new slice.
func (r *Ring) Last(n int) []Line {
	r.mu.Lock()
	defer r.mu.Unlock()
	n = max(min(n, r.n), 0)
	out := make([]Line, n)
	start := r.next - n
	if start < 0 {
		start += len(r.lines)
	}
	k := copy(out, r.lines[start:min(start+n, len(r.lines))])
	copy(out[k:], r.lines[:n-k])
	return out
}

// Len reports how many lines the ring holds.
func (r *Ring) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Cap reports how many lines the ring keeps at most.
func (r *Ring) Cap() int { return len(r.lines) }
