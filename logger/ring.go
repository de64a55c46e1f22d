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
//
// The slots are not preallocated: the ring grows (doubling) as lines
// arrive, up to its capacity, so a large capacity costs memory only once
// that many lines came.
type Ring struct {
	mu  sync.Mutex
	max int // the capacity; fixed
	// guarded by mu:
	lines []Line // the held lines; len grows up to max, then stays
	next  int    // once full: the slot the next Append overwrites (the oldest line)
	total uint64 // lines ever appended: the newest held line is number total
}

// NewRing returns a ring keeping the last n lines (n < 1 means 1).
func NewRing(n int) *Ring {
	return &Ring{max: max(n, 1)}
}

// Append adds a line, overwriting the oldest when full. O(1) amortised.
func (r *Ring) Append(l Line) {
	r.mu.Lock()
	r.total++
	if len(r.lines) < r.max {
		r.grow(1)
		r.lines = append(r.lines, l)
	} else {
		r.lines[r.next] = l
		r.next++
		if r.next == r.max {
			r.next = 0
		}
	}
	r.mu.Unlock()
}

// grow makes room for k more lines while the ring is not full: the backing
// array doubles, never beyond the capacity. Called with mu held.
func (r *Ring) grow(k int) {
	n := len(r.lines) + k
	if n <= cap(r.lines) {
		return
	}
	c := min(max(n, 2*cap(r.lines), 16), r.max)
	lines := make([]Line, len(r.lines), c)
	copy(lines, r.lines)
	r.lines = lines
}

// AppendAll adds ls in order, as many Appends would, under one lock: only
// the last Cap() of them can stay.
func (r *Ring) AppendAll(ls []Line) {
	n := uint64(len(ls))
	if k := len(ls) - r.max; k > 0 {
		ls = ls[k:]
	}
	r.mu.Lock()
	r.total += n
	if free := r.max - len(r.lines); free > 0 {
		k := min(free, len(ls))
		r.grow(k)
		r.lines = append(r.lines, ls[:k]...)
		ls = ls[k:]
	}
	for len(ls) > 0 {
		k := copy(r.lines[r.next:], ls)
		ls = ls[k:]
		r.next += k
		if r.next == r.max {
			r.next = 0
		}
	}
	r.mu.Unlock()
}

// Last returns up to n of the most recent lines, oldest first, in a new slice.
func (r *Ring) Last(n int) []Line {
	r.mu.Lock()
	defer r.mu.Unlock()
	held := len(r.lines)
	n = max(min(n, held), 0)
	out := make([]Line, n)
	if n == 0 {
		return out
	}
	start := r.next - n // r.next is 0 until full: the newest is then at held-1
	if start < 0 {
		start += held
	}
	k := copy(out, r.lines[start:min(start+n, held)])
	copy(out[k:], r.lines[:n-k])
	return out
}

// Len reports how many lines the ring holds.
func (r *Ring) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.lines)
}

// Cap reports how many lines the ring keeps at most.
func (r *Ring) Cap() int { return r.max }

// allocated reports how many slots are allocated (for tests).
func (r *Ring) allocated() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return cap(r.lines)
}
