// Command ovrseer runs a multi-process stack described by an Ovrfile.star:
// dependencies first, then the main processes, then clean-up, with prefixed
// logs, flags, hooks and crash reports (see README.md and docs/).
//
// main is the only place that exits; run does the work and returns the
// exit code, so tests can call it. During a run, main's goroutine waits in
// engine.Run while three goroutines of its own work beside it: the signal
// forwarder (signals.go), the headless printer and the events file writer,
// each draining its own engine subscription.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ovrseer/ovrseer/internal/loadguard"
	"github.com/ovrseer/ovrseer/internal/watchdog"
)

func main() {
	// This binary re-executed as ovrseer's watchdog is only that.
	if code, ok := watchdog.Main(); ok {
		os.Exit(code)
	}
	// A load child (internal/loadguard) only loads the Ovrfile and exits.
	if loadguard.Enter() {
		os.Exit(loadChild(os.Args[1:]))
	}
	// Children, and what they leave behind, die with ovrseer: a watchdog
	// process kills every recorded group and every process marked with
	// this run if ovrseer is killed, and as a child subreaper ovrseer
	// adopts the orphans of its children: it reaps them at once and stops
	// those still alive with their unit, or at shutdown.
	watchdog.Enable()
	_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) // best effort: Linux only
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes of docs/ovrfile.md, "Exit codes" that main itself decides.
const (
	exitOK    = 0
	exitUsage = 2 // an Ovrfile or usage error before anything starts
)

// run parses args and runs the command they name.
func run(args []string, stdout, stderr io.Writer) int {
	if globals, name, rest, ok := splitClient(args); ok {
		return runClient(globals, name, rest, stdout, stderr)
	}
	cfg, code, ok := parseCommandLine(args, stdout, stderr)
	if !ok {
		return code
	}
	switch cfg.cmd {
	case cmdVersion:
		fmt.Fprintln(stdout, versionString())
		return exitOK
	case cmdCheck:
		return check(cfg, stdout, stderr)
	case cmdExport:
		return runExport(cfg, stdout, stderr)
	default:
		return runStack(cfg, stdout, stderr)
	}
}

// parseCommandLine parses args; when there is nothing to run (-h, or a
// usage error, printed) it returns the exit code and false.
func parseCommandLine(args []string, stdout, stderr io.Writer) (config, int, bool) {
	cfg, err := parseArgs(args, os.Getenv)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, usage())
		return cfg, exitOK, false
	}
	if err != nil {
		fmt.Fprintf(stderr, "ovrseer: %v\nRun 'ovrseer -h' for help.\n", err)
		return cfg, exitUsage, false
	}
	return cfg, exitOK, true
}
