package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/control"
	"github.com/ovrseer/ovrseer/internal/watchdog"
	"github.com/ovrseer/ovrseer/starlib"
)

// controlRun is the run's lock (one run per Ovrfile) and, unless
// --no-control, its control server (docs/api.md).
type controlRun struct {
	lock   *control.Lock
	server *control.Server
	paths  control.Paths
}

// lockRun takes the one-run-per-Ovrfile lock for the loaded Ovrfile. On
// failure it prints why and returns nil and the exit code (2).
func lockRun(ovr *starlib.Ovrfile, stderr io.Writer) (*controlRun, int) {
	if len(ovr.Files) == 0 {
		return &controlRun{}, exitOK
	}
	real, err := control.RealPath(ovr.Files[0])
	if err != nil {
		fmt.Fprintf(stderr, "ovrseer: %v\n", err)
		return nil, exitUsage
	}
	paths := control.Candidates(real, os.Getenv)[0]
	lock, err := control.Acquire(paths)
	var running *control.RunningError
	switch {
	case errors.As(err, &running):
		fmt.Fprintf(stderr, "ovrseer: %s is %v\n", real, err)
		return nil, exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "ovrseer: %v\n", err)
		return nil, exitUsage
	}
	watchdog.RemoveControl(paths.Socket, paths.Lock) // should ovrseer be killed
	return &controlRun{lock: lock, paths: paths}, exitOK
}

// serve starts the control server for e, before its Run; --no-control
// leaves it off. A server that cannot start is reported, and the run goes
// on without it.
func (c *controlRun) serve(cfg config, rl *reloader, e *engine.Engine, stderr io.Writer) {
	if cfg.noControl || c.lock == nil {
		return
	}
	plan := func(w io.Writer) error { return rl.current().WritePlanJSON(w) }
	srv, err := control.Listen(e, control.Options{Paths: c.paths, Version: versionString(),
		Mode: cfg.mode(), Plan: plan, Reload: rl.reload})
	if err != nil {
		fmt.Fprintf(stderr, "ovrseer: control socket off: %v\n", err)
		return
	}
	c.server = srv
}

// close stops the server and removes the socket and the lock.
func (c *controlRun) close() {
	if c.server != nil {
		c.server.Close()
	}
	c.lock.Release()
}
