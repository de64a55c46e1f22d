package unit

import (
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

// readBufSize is the size of a read: a whole default pipe (64 KiB), so a
// fast writer is drained in one read.
const readBufSize = 64 << 10

// readBufs are the read buffers of every stream. A read copies the lines
// out of its buffer (chunkText) before the next one, so a stream borrows a
// buffer only once its pipe is readable and gives it back after the chunk:
// an idle process holds none (each used to keep 64 KiB per stream).
var readBufs = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

// read reads one stream until EOF or its read deadline (set by the waiter
// after the exit, see drainClock) and feeds the line path, holding the line
// lock for a whole chunk, so lines of both streams are serialised in
// arrival order. When the owner is full (a record fell behind) the reader
// waits for room before it reads again, without the line lock.
func (u *Unit) read(f *os.File, stream logger.Stream, clock *drainClock, wg *sync.WaitGroup) {
	defer wg.Done()
	var now time.Time
	var chunk chunkText
	sp := logger.NewSplitter(func(b []byte) { u.line(stream, chunk.line(b), now) })
	rc, err := f.SyscallConn()
	for err == nil {
		var buf *[]byte
		var n int
		buf, n, err = readSome(rc)
		if n > 0 {
			u.mu.Lock()
			now = time.Now()
			chunk.reset(*buf, n)
			sp.Write((*buf)[:n])
			chunk.reset(nil, 0) // the lines are copied: the buffer goes back
			if u.chunkDone() {
				u.waitRoom(clock)
			}
		}
		if buf != nil {
			readBufs.Put(buf)
		}
	}
	u.mu.Lock()
	now = time.Now()
	chunk.reset(nil, 0)
	sp.Flush()
	u.chunkDone()
}

// readSome waits until the pipe is readable (or its deadline passed, or it
// was closed), then reads once into a buffer from readBufs, which the
// caller puts back; err is io.EOF at the end.
func readSome(rc syscall.RawConn) (buf *[]byte, n int, err error) {
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		buf = readBufs.Get().(*[]byte)
		n, rerr = ignoringEINTR(int(fd), *buf)
		if rerr == syscall.EAGAIN {
			readBufs.Put(buf)
			buf = nil
			return false // wait until it is readable
		}
		return true
	})
	switch {
	case err != nil:
	case rerr != nil:
		err = rerr
	case n == 0:
		err = io.EOF
	}
	return buf, max(n, 0), err
}

// ignoringEINTR is read(2), again when interrupted by a signal.
func ignoringEINTR(fd int, b []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, b)
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// waitRoom blocks in Options.Wait until the owner has room or the unit is
// closing; the time it took after the exit moves the drain deadline.
func (u *Unit) waitRoom(clock *drainClock) {
	if u.opts.Wait == nil {
		return
	}
	t0 := time.Now()
	u.opts.Wait(u.released)
	clock.waited(t0, time.Now())
}

// chunkDone puts the chunk's lines in the ring, tells the owner the chunk
// is done, releases the line lock and wakes the actor if a line asked: so a
// line is in the ring (Logs) before its event or a flag hit on it is out.
// It reports whether the owner asked the reader to wait.
func (u *Unit) chunkDone() (full bool) {
	u.flushRing()
	if u.opts.OnChunk != nil {
		full = u.opts.OnChunk()
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
	return full
}

// drainClock sets a stream's read deadline after the exit: drainGrace
// after it, plus the time its reader spent waiting for the owner since
// (that time is the owner's, not the drain's). Its lock is taken at the
// exit and after a wait, never per line.
type drainClock struct {
	f       *os.File
	mu      sync.Mutex
	exit    time.Time // zero until the exit
	blocked time.Duration
}

// exited sets the deadline once the process has exited at t.
func (c *drainClock) exited(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exit = t
	c.f.SetReadDeadline(t.Add(drainGrace + c.blocked))
}

// waited moves the deadline by the part of [from, to] after the exit.
func (c *drainClock) waited(from, to time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.exit.IsZero() || !to.After(c.exit) {
		return
	}
	if from.Before(c.exit) {
		from = c.exit
	}
	c.blocked += to.Sub(from)
	c.f.SetReadDeadline(c.exit.Add(drainGrace + c.blocked))
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
