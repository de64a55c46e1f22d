package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ovrseer/ovrseer/engine"
)

// The commands below run engine calls on goroutines of their own (they may
// block, e.g. Stop waits for the process group); results come back as
// drain notes, so the screen is only touched from tview's goroutine.

// quit asks the engine to shut down, a second press forces it; attached,
// it detaches instead.
func (u *ui) quit() {
	if u.attached {
		u.detached = true
		u.app.Stop()
		return
	}
	u.shutdown()
}

// shutdown asks the engine to shut down; a second press forces it.
func (u *ui) shutdown() {
	u.quits++
	if u.quits == 1 {
		u.message = "shutting down — press q again to force"
	} else {
		u.message = "forcing the shutdown"
	}
	go u.e.Quit()
}

// restartSelected restarts the selected process.
func (u *ui) restartSelected() {
	p := u.controllable()
	if p == nil {
		return
	}
	name := p.name
	u.message = "restarting " + name
	u.run(func() error { return u.e.Restart(name) }, "restart "+name)
}

// restartAll restarts every main process, failed ones too, in deps order
// (Engine.RestartAll): dependents stop first, and each starts again once
// its deps are ready. The status line says which.
func (u *ui) restartAll() {
	u.message = "restarting every main process"
	d, e := u.drain, u.e
	go func() {
		names, err := e.RestartAll()
		switch {
		case err != nil:
			d.note("R failed: " + shortError(err))
		case len(names) == 0:
			d.note("no main process to restart")
		default:
			d.note("R: restarting " + strings.Join(names, ", ") + " in deps order")
		}
	}()
}

// stopOrStart stops the selected process if it runs, else starts it.
func (u *ui) stopOrStart() {
	p := u.controllable()
	if p == nil {
		return
	}
	name := p.name
	if p.running() {
		u.message = "stopping " + name
		u.run(func() error { return u.e.Stop(name) }, "stop "+name)
		return
	}
	u.message = "starting " + name
	u.run(func() error { return u.e.Start(name) }, "start "+name)
}

// openStdin opens the input field for the selected process's stdin.
func (u *ui) openStdin() {
	p := u.controllable()
	if p != nil && !p.stdin {
		u.message = p.name + " takes no input (its stdin is not enabled: stdin = True)"
		return
	}
	if p != nil {
		u.openInput(inputStdin, fmt.Sprintf("stdin of %s (Ctrl-S: secret)> ", p.name))
	}
}

// send writes a line to the selected process's stdin.
func (u *ui) send(line string) {
	p := u.controllable()
	if p == nil {
		return
	}
	name := p.name
	u.run(func() error { return u.e.Send(name, line) }, "send to "+name)
}

// controllable returns the selected process unless there is none or it is
// a hook.
func (u *ui) controllable() *procView {
	p := u.selected()
	if p == nil {
		return nil
	}
	if p.sys {
		u.message = "ovrseer's own log: select a process"
		return nil
	}
	if p.hook {
		u.message = p.name + " is a hook, not a process"
		return nil
	}
	return p
}

// run calls f on its own goroutine and reports an error (or that it is
// done) through the drain, which also refreshes the process states.
func (u *ui) run(f func() error, what string) {
	d := u.drain
	go func() {
		err := f()
		switch {
		case err != nil:
			d.note(fmt.Sprintf("%s failed: %s", what, shortError(err)))
		case what != "":
			d.note(what + ": done")
		default:
			d.note("done")
		}
	}()
}

// shortError is an error as a person reads it on the status line: the
// cause without the chain of packages it went through.
func shortError(err error) string {
	switch {
	case errors.Is(err, engine.ErrOver):
		return "the run is over"
	case errors.Is(err, engine.ErrUnknownProcess):
		return "no such process"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}
