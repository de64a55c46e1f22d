package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

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

func catchSignals() *caughtSignals {
	sigs := []os.Signal{syscall.SIGPIPE, syscall.SIGUSR1}
	for _, s := range shutdownSignals {
		if s != syscall.SIGHUP || !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	c := &caughtSignals{ch: make(chan os.Signal, 8)}
	signal.Notify(c.ch, sigs...)
	return c
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
					e.Signal(sig.(syscall.Signal))
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
