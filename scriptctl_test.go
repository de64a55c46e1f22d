package main

import (
	"net"
	"os"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ovrseer/ovrseer/internal/control"
)

// ctlpaths OVRFILE: set SOCKDIR, SOCK and LOCK to where a run of OVRFILE
// keeps its control socket and lock.
func cmdCtlPaths(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: ctlpaths OVRFILE")
	}
	real, err := control.RealPath(ts.MkAbs(args[0]))
	ts.Check(err)
	p := control.Candidates(real, ts.Getenv)[0]
	ts.Setenv("SOCKDIR", p.Dir)
	ts.Setenv("SOCK", p.Socket)
	ts.Setenv("LOCK", p.Lock)
}

// stalesock PATH: leave a socket at PATH that nobody listens on, as a run
// killed with SIGKILL does.
func cmdStaleSock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: stalesock PATH")
	}
	path := ts.MkAbs(args[0])
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	ts.Check(err)
	l.SetUnlinkOnClose(false)
	ts.Check(l.Close())
	if _, err := os.Lstat(path); err != nil {
		ts.Fatalf("stale socket: %v", err)
	}
}
