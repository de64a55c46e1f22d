package unit

import (
	"os"
	"sync"
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

// readBufSize is each stream's one read buffer.
const readBufSize = 32 << 10

// read reads one stream until EOF or its read deadline (set by the waiter
// after the exit) and feeds the line path, holding the line lock for a
// whole chunk, so lines of both streams are serialised in arrival order.
func (u *Unit) read(f *os.File, stream logger.Stream, wg *sync.WaitGroup) {
	defer wg.Done()
	buf := make([]byte, readBufSize)
	var now time.Time
	sp := logger.NewSplitter(func(b []byte) { u.line(stream, b, now) })
	for {
		n, err := f.Read(buf)
		if n > 0 {
			u.mu.Lock()
			now = time.Now()
			sp.Write(buf[:n])
			u.chunkDone()
		}
		if err != nil {
			break
		}
	}
	u.mu.Lock()
	now = time.Now()
	sp.Flush()
	u.chunkDone()
}

// chunkDone releases the line lock and wakes the actor if a line asked.
func (u *Unit) chunkDone() {
	wake := u.needWake
	u.needWake = false
	u.mu.Unlock()
	if wake {
		select {
		case u.wake <- struct{}{}:
		default:
		}
	}
}

// line is the hot path, called under u.mu once per line: one string copy,
// the ring, the flags, the readiness log checks, the owner's hook.
func (u *Unit) line(stream logger.Stream, b []byte, now time.Time) {
	l := logger.Line{Time: now, Stream: stream, Text: string(b)}
	u.ring.Append(l)
	if u.flags != nil {
		n := len(u.hits)
		u.hits = u.flags.Feed(u.hits, l.Text, now)
		if len(u.hits) > n {
			u.needWake = true
		}
		if !u.expiryArmed {
			if _, ok := u.flags.Deadline(); ok {
				u.expiryArmed, u.needWake = true, true
			}
		}
	}
	if u.logPending > 0 {
		u.matchLogChecks(l.Text)
	}
	if u.opts.OnLine != nil {
		u.opts.OnLine(l)
	}
}
