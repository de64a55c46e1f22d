package engine

import (
	"strconv"
	"testing"
)

// The queue keeps order across blocks, reuses emptied blocks up to maxFree
// and lets the rest go.
func TestQueueBlocks(t *testing.T) {
	var q queue
	total := 3*blockLen + 7
	ens := make([]entry, total)
	for i := range ens {
		ens[i].line = strconv.Itoa(i)
	}
	q.push(ens[:5])
	q.push(ens[5:])
	if q.n != total || len(q.blocks) != 4 || q.last().line != strconv.Itoa(total-1) {
		t.Fatalf("n %d, %d blocks, last %q", q.n, len(q.blocks), q.last().line)
	}
	bs := q.take()
	i := 0
	for _, b := range bs {
		for _, en := range b {
			if en.line != strconv.Itoa(i) {
				t.Fatalf("entry %d is %q", i, en.line)
			}
			i++
		}
	}
	if i != total || q.n != 0 || q.last() != nil {
		t.Fatalf("took %d of %d; queue left with %d", i, total, q.n)
	}
	for _, b := range bs {
		clear(b)
	}
	q.recycled(bs)
	if len(q.free) != 4 || cap(q.free[0]) != blockLen || len(q.free[0]) != 0 {
		t.Fatalf("%d free blocks after recycling 4", len(q.free))
	}
	q.push(ens[:1]) // reuses a free block
	if len(q.free) != 3 {
		t.Errorf("%d free blocks after a push, want 3", len(q.free))
	}

	var big queue // a burst: only maxFree blocks are kept
	big.push(make([]entry, (maxFree+5)*blockLen))
	big.recycled(big.take())
	if len(big.free) != maxFree {
		t.Errorf("%d free blocks kept, want %d", len(big.free), maxFree)
	}
}
