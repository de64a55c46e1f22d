package main

import (
	"syscall"
	"testing"
	"time"
)

// The same signal again within sameRequest is the same request delivered
// twice (GNU timeout signals ovrseer, then its group); later, or another
// signal, is a request of its own.
func TestRequestFilter(t *testing.T) {
	t0 := time.Now()
	var f requestFilter
	for i, c := range []struct {
		sig  syscall.Signal
		at   time.Duration
		want bool
	}{
		{syscall.SIGTERM, 0, true},
		{syscall.SIGTERM, time.Millisecond, false},               // timeout's second delivery
		{syscall.SIGTERM, sameRequest - time.Millisecond, false}, // still the first request
		{syscall.SIGINT, sameRequest, true},                      // another signal counts
		{syscall.SIGINT, 2 * sameRequest, true},                  // the same, later: a second request
	} {
		if got := f.counts(c.sig, t0.Add(c.at)); got != c.want {
			t.Errorf("%d: %v at +%v counts %v, want %v", i, c.sig, c.at, got, c.want)
		}
	}
}
