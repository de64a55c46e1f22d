package unit

import "github.com/ovrseer/ovrseer/logger"

// Seam runs f with the unit's line lock held: meanwhile no line of the unit
// is published (Options.OnChunk), and every line published before is in
// the ring, the newest numbered total (logger.Ring.Total). An owner adds a
// subscriber in f to know exactly which lines it will see and which it
// must read from the ring (LogsUpTo). f must not block.
func (u *Unit) Seam(f func(total uint64)) {
	u.mu.Lock()
	defer u.mu.Unlock()
	f(u.ring.Total())
}

// LogsUpTo returns up to n of the most recent lines numbered at most upTo
// that the ring still holds, oldest first (see Seam).
func (u *Unit) LogsUpTo(upTo uint64, n int) []logger.Line { return u.ring.LastUpTo(upTo, n) }
