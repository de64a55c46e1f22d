package mailbox

import (
	"sync"
	"testing"
	"time"
)

func TestOrderAndClose(t *testing.T) {
	m := New[int]()
	for i := range 3 {
		if !m.Post(i) {
			t.Fatal("post refused while open")
		}
	}
	select {
	case <-m.Ready():
	default:
		t.Fatal("not ready after posts")
	}
	if got := m.Take(nil); len(got) != 3 || got[0] != 0 || got[2] != 2 {
		t.Fatalf("Take = %v", got)
	}
	m.Post(7)
	if left := m.Close(); len(left) != 1 || left[0] != 7 {
		t.Fatalf("Close = %v, want [7]", left)
	}
	if m.Post(8) {
		t.Fatal("post accepted after Close")
	}
}

// TestConcurrentPostsArriveOnce: posts from many goroutines while the
// reader takes arrive once each; Ready never misses a post.
func TestConcurrentPostsArriveOnce(t *testing.T) {
	m := New[int]()
	const writers, each = 8, 1000
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m.Post(w*each + i)
			}
		}()
	}
	seen := make(map[int]bool, writers*each)
	var buf []int
	deadline := time.After(10 * time.Second)
	for len(seen) < writers*each {
		select {
		case <-m.Ready():
		case <-deadline:
			t.Fatalf("got %d of %d", len(seen), writers*each)
		}
		buf = m.Take(buf[:0])
		for _, v := range buf {
			if seen[v] {
				t.Fatalf("%d twice", v)
			}
			seen[v] = true
		}
	}
	wg.Wait()
}
