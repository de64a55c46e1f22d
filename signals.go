package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// shutdownSignals start the orderly shutdown; a second request forces it.
var shutdownSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// caughtSignals are ovrseer's signals (those that stop it, SIGUSR1 that
// reloads the Ovrfile, SIGPIPE), caught from the start of a run (once
// the Ovrfile is loaded) until the process is gone: one that arrives late
// (after the run, while main exits) is dropped, never kills ovrseer by its
// default action; one that arrives before the engine is told is kept for
// it (up to a few). SIGPIPE is
// caught so that a write to a closed stdout fails with EPIPE (the printer
// reports it as a dead output) instead of killing ovrseer. Under nohup
// (SIGHUP ignored at start) SIGHUP stays ignored.
type caughtSignals struct {
	ch chan os.Signal
}

// catchReload catches SIGUSR1 from the very start of a run, before the
// Ovrfile is loaded: a reload asked for that early waits for the stack to
// run, as during the rest of the startup, instead of killing ovrseer.
func catchReload() *caughtSignals {
	c := &caughtSignals{ch: make(chan os.Signal, 8)}
	signal.Notify(c.ch, syscall.SIGUSR1)
	return c
}

// catchAll catches the rest of ovrseer's signals on the same channel.
func (c *caughtSignals) catchAll() *caughtSignals {
	sigs := []os.Signal{syscall.SIGPIPE}
	for _, s := range shutdownSignals {
		if s != syscall.SIGHUP || !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	signal.Notify(c.ch, sigs...)
	return c
}

// sameRequest is how soon the same signal again is the same stop request
// delivered twice, not a second one that forces: GNU timeout sends SIGTERM
// to ovrseer and then to its process group, ovrseer included, and a
// supervisor may signal the main process and then its group. A person's
// second Ctrl-C comes later.
const sameRequest = 250 * time.Millisecond

// requestFilter drops a shutdown signal that repeats the last one counted
// within sameRequest.
type requestFilter struct {
	last syscall.Signal
	at   time.Time
}

// counts reports whether sig, arriving at now, is a request of its own.
func (f *requestFilter) counts(sig syscall.Signal, now time.Time) bool {
	if sig == f.last && now.Sub(f.at) < sameRequest {
		return false
	}
	f.last, f.at = sig, now
	return true
}

// signalForwarder hands ovrseer's signals to an engine.
type signalForwarder struct {
	// forced is cancelled once the shutdown was forced (the engine's
	// Forced): waits after the engine returned (queued hooks) are cut
	// short too.
	forced context.Context
	stop   func()
}

// forward passes every shutdown signal to e.Signal (the engine counts the
// requests: see engine.Engine.Signal), and SIGUSR1 to reload, until stop is
// called; after that the signals are still caught, and dropped.
func (c *caughtSignals) forward(e *engine.Engine, reload func()) signalForwarder {
	forced, force := context.WithCancel(context.Background())
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var dups requestFilter
		forcedC := e.Forced()
		for {
			select {
			case <-quit:
				return
			case <-forcedC:
				forcedC = nil
				force()
			case sig := <-c.ch:
				switch sig {
				case syscall.SIGPIPE:
				case syscall.SIGUSR1:
					reload()
				default:
					if s := sig.(syscall.Signal); dups.counts(s, time.Now()) {
						e.Signal(s)
					}
				}
			}
		}
	}()
	stop := func() {
		close(quit)
		<-done
		force()
	}
	return signalForwarder{forced: forced, stop: stop}
}

// outputLost tells e that an output died (a write failed): a hung-up
// terminal (EIO) stands for SIGHUP, anything else for a closed pipe
// (SIGPIPE). A dead output starts the shutdown but never forces it.
func outputLost(e *engine.Engine, err error) {
	sig := syscall.SIGPIPE
	if errors.Is(err, syscall.EIO) {
		sig = syscall.SIGHUP
	}
	e.OutputLost(sig)
}
