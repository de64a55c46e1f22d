package engine

// blockLen is the entries of one queue block (18 KiB).
const blockLen = 256

// maxFree bounds the emptied blocks a queue keeps for reuse (4096 entries):
// the rest of a burst's blocks go back to the garbage collector.
const maxFree = 16

// queue is a subscriber's FIFO of entries in fixed-size blocks: it grows a
// block at a time without copying what it holds, and a subscriber that fell
// behind costs only the blocks its entries fill. It is not safe for
// concurrent use: the Subscription's lock guards it.
type queue struct {
	blocks [][]entry // each of capacity blockLen; all but the last are full
	n      int       // entries in blocks
	hdr    [][]entry // a spare blocks array for the next take
	free   [][]entry // emptied blocks, at most maxFree
}

// push appends ens in order.
func (q *queue) push(ens []entry) {
	for len(ens) > 0 {
		last := len(q.blocks) - 1
		if last < 0 || len(q.blocks[last]) == blockLen {
			q.blocks = append(q.blocks, q.newBlock())
			last++
		}
		b := q.blocks[last]
		k := min(len(ens), blockLen-len(b))
		q.blocks[last] = append(b, ens[:k]...)
		q.n += k
		ens = ens[k:]
	}
}

func (q *queue) newBlock() []entry {
	if n := len(q.free); n > 0 {
		b := q.free[n-1]
		q.free = q.free[:n-1]
		return b
	}
	return make([]entry, 0, blockLen)
}

// last is the newest entry, nil when the queue is empty.
func (q *queue) last() *entry {
	if q.n == 0 {
		return nil
	}
	b := q.blocks[len(q.blocks)-1]
	return &b[len(b)-1]
}

// take empties the queue and returns its blocks, oldest first; the caller
// reads them without the lock and hands them back with recycled.
func (q *queue) take() [][]entry {
	bs := q.blocks
	q.blocks, q.hdr, q.n = q.hdr[:0], nil, 0
	return bs
}

// recycled takes back blocks that take returned and that the caller has
// cleared (so they hold no lines).
func (q *queue) recycled(bs [][]entry) {
	for _, b := range bs {
		if len(q.free) == maxFree {
			break
		}
		q.free = append(q.free, b[:0])
	}
	if q.hdr == nil && cap(bs) <= 4*maxFree {
		clear(bs)
		q.hdr = bs[:0]
	}
}
