package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ovrseer/ovrseer/engine"
)

// shutdownSignals start the orderly shutdown; a second one forces it.
var shutdownSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// signalForwarder hands ovrseer's signals to the engine.
type signalForwarder struct {
	// forced is cancelled by the second signal: waits after the engine
	// returned (queued hooks) are cut short too.
	forced context.Context
	stop   func()
}

// forwardSignals passes every shutdown signal to e.Signal (the engine
// counts them: the second forces). SIGPIPE is caught only so that a write
// to a closed stdout returns EPIPE to the printer instead of killing
// ovrseer; the printer reports it to the engine.
func forwardSignals(e *engine.Engine) signalForwarder {
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, append([]os.Signal{syscall.SIGPIPE}, shutdownSignals...)...)
	forced, force := context.WithCancel(context.Background())
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		received := 0
		for {
			select {
			case <-quit:
				return
			case sig := <-ch:
				if sig == syscall.SIGPIPE {
					continue
				}
				received++
				e.Signal(sig.(syscall.Signal))
				if received >= 2 {
					force()
				}
			}
		}
	}()
	stop := func() {
		signal.Stop(ch)
		close(quit)
		<-done
		force()
	}
	return signalForwarder{forced: forced, stop: stop}
}
