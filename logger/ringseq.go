package logger

// Lines are numbered from 1 in the order they were appended; Total is the
// number of the newest. A reader that knows the number of the last line
// it got some other way (a subscription that started after it) reads the
// history up to there with LastUpTo, and the two meet exactly.

// Total reports how many lines were ever appended: the number of the
// newest line.
func (r *Ring) Total() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// LastUpTo returns up to n of the lines numbered at most upTo that the ring
// still holds, the most recent of them, oldest first, in a new slice.
func (r *Ring) LastUpTo(upTo uint64, n int) []Line {
	r.mu.Lock()
	defer r.mu.Unlock()
	held := len(r.lines)
	skip := 0 // the newest lines, numbered after upTo
	if upTo < r.total {
		skip = int(min(r.total-upTo, uint64(held)))
	}
	n = max(min(n, held-skip), 0)
	out := make([]Line, n)
	start := 0 // the oldest held line's slot
	if held == r.max {
		start = r.next
	}
	first := held - skip - n // logical index, oldest first
	for i := range out {
		out[i] = r.lines[(start+first+i)%held]
	}
	return out
}
