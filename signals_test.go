package main

import (
	"os"
	"os/signal"
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

// A SIGUSR1 that arrives before the Ovrfile is loaded is kept for the run
// (which reloads once the stack runs), never the default action that
// would kill ovrseer mid-load.
func TestReloadSignalCaughtBeforeLoad(t *testing.T) {
	c := catchReload()
	defer signal.Stop(c.ch)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	select {
	case sig := <-c.ch:
		if sig != syscall.SIGUSR1 {
			t.Errorf("got %v, want SIGUSR1", sig)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SIGUSR1 not delivered to the run's channel")
	}
}
