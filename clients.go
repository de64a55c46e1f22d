package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/ovrseer/ovrseer/internal/control"
)

// Exit codes of the client commands (docs/cli.md).
const (
	exitFailed = 1 // the action failed
	exitNoRun  = 3 // no run for the Ovrfile, or the transport failed
)

// clientCommands are the commands that talk to a running stack.
var clientCommands = map[string]func(c *clientCtx) int{
	"ps": cmdPs, "logs": cmdLogs, "restart": cmdAction, "stop": cmdAction, "start": cmdAction,
	"send": cmdSend, "events": cmdEvents, "reload": cmdReload, "down": cmdDown, "attach": cmdAttach,
	"ls": cmdLs,
}

// clientCtx is what a client command gets: its own flags and arguments
// after the command name, and the global ones before it.
type clientCtx struct {
	name    string
	global  config
	flags   *pflag.FlagSet
	args    []string
	stdout  io.Writer
	stderr  io.Writer
	ctx     context.Context
	ovrfile string // the Ovrfile's real path, once found
}

// splitClient finds a client command in args: the first argument that is
// neither a flag nor a flag's value. Flags before it are global; -f
// after it (logs, events) means follow.
func splitClient(args []string) (globals []string, cmd string, rest []string, ok bool) {
	valued := map[string]bool{"-f": true, "--file": true, "--color": true, "--events": true,
		"--crash-dir": true, "--timeout": true, "-o": true, "--output": true, "--name": true, "--root": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return nil, "", nil, false
		case valued[a]:
			i++
		case strings.HasPrefix(a, "-"):
		default:
			_, ok := clientCommands[a]
			return args[:i], a, args[i+1:], ok
		}
	}
	return nil, "", nil, false
}

// runClient runs a client command.
func runClient(globals []string, name string, rest []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseCommandLine(globals, stdout, stderr)
	if !ok {
		return code
	}
	c := &clientCtx{name: name, global: cfg, stdout: stdout, stderr: stderr, flags: clientFlags(name)}
	if err := c.flags.Parse(rest); err != nil {
		fmt.Fprintf(stderr, "ovrseer %s: %v\nRun 'ovrseer -h' for help.\n", name, err)
		return exitUsage
	}
	c.args = c.flags.Args()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c.ctx = ctx
	return clientCommands[name](c)
}

// clientFlags are the flags of each client command.
func clientFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("ovrseer "+name, pflag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.Usage = func() {}
	switch name {
	case "ps":
		fs.Bool("json", false, "the processes as JSON")
	case "logs":
		fs.BoolP("follow", "f", false, "follow: print new lines as they come")
		fs.IntP("lines", "n", 100, "how many recent lines of each process")
	case "events":
		fs.BoolP("follow", "f", false, "follow: print new events as they come")
	case "restart", "stop", "start":
		fs.Bool("no-wait", false, "return at once, without waiting until ready or stopped")
	}
	return fs
}

// dial finds the Ovrfile and connects to its run; on failure it prints why
// and returns the exit code.
func (c *clientCtx) dial() (*control.Client, int) {
	path, fromParent, err := findClientOvrfile(c.global.file)
	if err != nil {
		fmt.Fprintf(c.stderr, "ovrseer: %v\n", err)
		return nil, exitNoRun
	}
	if fromParent {
		fmt.Fprintf(c.stderr, "ovrseer: using %s\n", path)
	}
	real, err := control.RealPath(path)
	if err != nil {
		fmt.Fprintf(c.stderr, "ovrseer: %v\n", err)
		return nil, exitNoRun
	}
	c.ovrfile = real
	cl, err := control.Dial(real, os.Getenv)
	switch {
	case errors.Is(err, control.ErrNotRunning):
		fmt.Fprintf(c.stderr, "ovrseer: no ovrseer is running for %s\n", real)
		return nil, exitNoRun
	case err != nil:
		fmt.Fprintf(c.stderr, "ovrseer: %v\n", err)
		return nil, exitNoRun
	}
	return cl, exitOK
}

// fail prints a request's error and returns its exit code: 1 for an
// answer of the server, 3 for the transport.
func (c *clientCtx) fail(err error) int {
	fmt.Fprintf(c.stderr, "ovrseer %s: %v\n", c.name, err)
	var api *control.APIError
	if errors.As(err, &api) {
		return exitFailed
	}
	return exitNoRun
}

// findClientOvrfile is -f, else Ovrfile.star in the current directory or
// the nearest parent that has one (fromParent).
func findClientOvrfile(file string) (path string, fromParent bool, err error) {
	if file != "" {
		path, err := findOvrfile(file)
		return path, false, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false, fmt.Errorf("ovrfile: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "Ovrfile.star")
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, dir != wd, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", false, fmt.Errorf("ovrfile: %w", err)
		}
		if filepath.Dir(dir) == dir {
			return "", false, fmt.Errorf("no Ovrfile.star in %s or its parents; -f names one", wd)
		}
	}
}
