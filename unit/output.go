package unit

import (
	"os"
	"sync"
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

// readBufSize is each stream's one read buffer: a whole default pipe
// (64 KiB), so a fast writer is drained in one read.
const readBufSize = 64 << 10

// read reads one stream until EOF or its read deadline (set by the waiter
// after the exit) and feeds the line path, holding the line lock for a
// whole chunk, so lines of both streams are serialised in arrival order.
func (u *Unit) read(f *os.File, stream logger.Stream, wg *sync.WaitGroup) {
	defer wg.Done()
	buf := make([]byte, readBufSize)
	var now time.Time
	var chunk chunkText
	sp := logger.NewSplitter(func(b []byte) { u.line(stream, chunk.line(b), now) })
	for {
		n, err := f.Read(buf)
		if n > 0 {
			u.mu.Lock()
			now = time.Now()
			chunk.reset(buf, n)
			sp.Write(buf[:n])
			u.chunkDone()
		}
		if err != nil {
			break
		}
	}
	u.mu.Lock()
	now = time.Now()
	chunk.reset(buf, 0)
	sp.Flush()
	u.chunkDone()
}

// chunkDone puts the chunk's lines in the ring, tells the owner the chunk
// is done, releases the line lock and wakes the actor if a line asked: so a
// line is in the ring (Logs) before its event or a flag hit on it is out.
func (u *Unit) chunkDone() {
	u.flushRing()
	if u.opts.OnChunk != nil {
		u.opts.OnChunk()
	}
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

// flushRing appends the lines collected for the ring under one ring lock.
// u.mu is held.
func (u *Unit) flushRing() {
	if len(u.toRing) == 0 {
		return
	}
	u.ring.AppendAll(u.toRing)
	clear(u.toRing) // the ring holds them now
	u.toRing = u.toRing[:0]
}

// line is the hot path, called under u.mu once per line: the ring (at the
// chunk's end), the flags, the readiness log checks, the owner's hook.
func (u *Unit) line(stream logger.Stream, text string, now time.Time) {
	l := logger.Line{Time: now, Stream: stream, Text: text}
	u.toRing = append(u.toRing, l)
	if len(u.toRing) == u.ring.Cap() { // only the last Cap lines can stay
		u.flushRing()
	}
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
