package engine

import (
	"fmt"
	"time"
)

// share is what a record holds of one process's lines; recordShare is the
// most before the process's readers wait. It bounds what a record that
// falls behind costs (about 1.6 MB a process: the lines and their queue
// entries), and is still thousands of lines of slack for a record that
// writes in batches.
type share struct {
	lines int
	bytes int
}

var recordShare = share{lines: 8 << 10, bytes: 1 << 20}

// hold counts the log lines of ens in their processes' shares of a record
// and reports whether one of those shares is full. s.mu is held.
func (s *Subscription) hold(ens []entry) (full bool) {
	last := int32(-1)
	for i := range ens {
		src := ens[i].src
		if src == 0 {
			continue
		}
		if int(src) >= len(s.queued) {
			s.queued = append(s.queued, make([]share, int(src)+1-len(s.queued))...)
		}
		sh := &s.queued[src]
		sh.lines++
		sh.bytes += len(ens[i].line)
		last = src
	}
	return last > 0 && s.fullLocked(int(last))
}

// heldLocked is what the record holds of process src's (entry.src) lines:
// queued, and taken but not yet handed back. s.mu is held.
func (s *Subscription) heldLocked(src int) share {
	var sh share
	if src < len(s.queued) {
		sh = s.queued[src]
	}
	if src < len(s.taken) {
		sh.lines += s.taken[src].lines
		sh.bytes += s.taken[src].bytes
	}
	return sh
}

// fullLocked reports whether process src has its full share in the
// record. s.mu is held.
func (s *Subscription) fullLocked(src int) bool {
	sh := s.heldLocked(src)
	return sh.lines >= s.share.lines || sh.bytes >= s.share.bytes
}

// handOver moves the queued lines' shares to the taken ones (take).
// s.mu is held.
func (s *Subscription) handOver() {
	if len(s.taken) < len(s.queued) {
		s.taken = append(s.taken, make([]share, len(s.queued)-len(s.taken))...)
	}
	for i, q := range s.queued {
		s.taken[i].lines += q.lines
		s.taken[i].bytes += q.bytes
	}
	clear(s.queued)
}

// waitRoom blocks while the record holds a full share of process src's
// lines, until the subscriber has written some of them (it hands taken
// lines back after writing them), the subscription is closed, or stop is
// closed. It returns at once for a view. It is called by that
// process's pipe reader only, holding no lock.
func (s *Subscription) waitRoom(src int, stop <-chan struct{}) {
	if !s.record {
		return
	}
	for {
		s.mu.Lock()
		if s.closed || !s.fullLocked(src) {
			s.mu.Unlock()
			return
		}
		if s.room == nil {
			s.room = make(chan struct{})
		}
		room := s.room
		s.mu.Unlock()
		select {
		case <-room:
		case <-stop:
			return
		}
	}
}

// wakeRoom wakes the readers waiting for room. s.mu is held.
func (s *Subscription) wakeRoom() {
	if s.room != nil {
		close(s.room)
		s.room = nil
	}
}

// RecordFailed reports that a record's destination failed (what names it,
// such as "stdout" or "events file x.jsonl"): it publishes lifecycle:error,
// and the run ends with exit 1 unless an explicit code applies. The caller
// closes the record's subscription (so it never holds a process back
// again) and tells the user on stderr.
func (e *Engine) RecordFailed(what string, err error) {
	e.recordFailed.Store(true)
	ev := Event{Type: LifecycleError, Time: time.Now(), Phase: e.Phase(), Error: fmt.Sprintf("%s: %v", what, err)}
	e.publish(&ev)
}
