package flagset

import (
	"time"
	"unsafe"

	"github.com/ovrseer/ovrseer/internal/ansi"
)

// idle is how long an open window waits for its after-context lines.
const idle = time.Second

// Set is a compiled list of flags for one process. It is kept across the
// process's restarts, so counts (and the once-only Exceeded) survive them.
type Set struct {
	flags  []compiled
	counts []int // per flag, same index
	before recent
	open   []window // in the order they were opened
	last   time.Time
	strip  []byte // reused buffer for lines with escape sequences
}

// window is a match waiting for its after-context.
type window struct {
	hit  Hit
	want int // after lines still missing
}

// Feed tests one line as a terminal shows it (ansi.AppendStrip: escape
// sequences and control bytes ignored) and appends to dst the
// hits that became complete, in order: windows whose after-context this line
// completed, then for each flag the line matches its window if the flag has
// no context, and an Exceeded hit when this line pushed its count over target.
func (s *Set) Feed(dst []Hit, line string, now time.Time) []Hit {
	s.last = now
	dst = s.extend(dst, line)
	text := line
	if !ansi.Plain(line) {
		s.strip = ansi.AppendStrip(s.strip[:0], line)
		// A view of the buffer, not a copy: it is only matched against and
		// never outlives this call (hits carry line itself).
		text = unsafe.String(unsafe.SliceData(s.strip), len(s.strip))
	}
	for i := range s.flags {
		if s.flags[i].match(text) {
			dst = s.hit(dst, i, line, now)
		}
	}
	s.before.add(line)
	return dst
}

// extend adds line to the after-context of every open window and completes
// those that are full.
func (s *Set) extend(dst []Hit, line string) []Hit {
	kept := s.open[:0]
	for _, w := range s.open {
		w.hit.Context = append(w.hit.Context, line)
		if w.want--; w.want == 0 {
			dst = append(dst, w.hit)
			continue
		}
		kept = append(kept, w)
	}
	clear(s.open[len(kept):]) // drop references to completed windows
	s.open = kept
	return dst
}

// hit records a match of flag i on line.
func (s *Set) hit(dst []Hit, i int, line string, now time.Time) []Hit {
	f := &s.flags[i]
	s.counts[i]++
	n := s.counts[i]
	ctx := make([]string, 0, 2*f.Context+1)
	ctx = s.before.last(ctx, f.Context)
	h := Hit{Kind: Matched, Flag: f.Name, Color: f.Color, Line: line, Time: now,
		Count: n, Target: f.Target, Context: append(ctx, line)}
	if f.Context == 0 {
		dst = append(dst, h)
	} else {
		s.open = append(s.open, window{hit: h, want: f.Context})
	}
	if f.Target != NoTarget && n == f.Target+1 {
		dst = append(dst, Hit{Kind: Exceeded, Flag: f.Name, Color: f.Color, Line: line,
			Time: now, Count: n, Target: f.Target})
	}
	return dst
}

// Deadline reports when the open windows close for lack of new lines (1 s
// after the last line); ok is false when no window is open.
func (s *Set) Deadline() (t time.Time, ok bool) {
	if len(s.open) == 0 {
		return time.Time{}, false
	}
	return s.last.Add(idle), true
}

// Expire closes the windows whose deadline is at or before now.
func (s *Set) Expire(dst []Hit, now time.Time) []Hit {
	if d, ok := s.Deadline(); ok && !now.Before(d) {
		dst = s.closeAll(dst)
	}
	return dst
}

// Flush closes every open window (the process exited) and forgets the lines
// that would be before-context, so a new run starts fresh. Counts are kept.
func (s *Set) Flush(dst []Hit) []Hit {
	s.before.reset()
	return s.closeAll(dst)
}

func (s *Set) closeAll(dst []Hit) []Hit {
	for _, w := range s.open {
		dst = append(dst, w.hit)
	}
	clear(s.open)
	s.open = s.open[:0]
	return dst
}

// Counts returns every declared flag name with its count.
func (s *Set) Counts() map[string]int {
	m := make(map[string]int, len(s.flags))
	for i, f := range s.flags {
		m[f.Name] = s.counts[i]
	}
	return m
}

// recent is a ring of the last lines, as long as the largest context.
type recent struct {
	size  int
	lines []string
	next  int // the slot the next line goes to
	n     int
}

func (r *recent) add(line string) {
	if r.size == 0 {
		return
	}
	r.lines[r.next] = line
	r.next = (r.next + 1) % r.size
	r.n = min(r.n+1, r.size)
}

// last appends up to k of the most recent lines to dst, oldest first.
func (r *recent) last(dst []string, k int) []string {
	k = min(k, r.n)
	for j := r.next - k; j < r.next; j++ {
		dst = append(dst, r.lines[(j+r.size)%r.size])
	}
	return dst
}

func (r *recent) reset() {
	clear(r.lines)
	r.next, r.n = 0, 0
}
