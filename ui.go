package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/watchdog"
	"github.com/ovrseer/ovrseer/tui"
)

// uiRun is the terminal UI of one run, on a goroutine of its own.
type uiRun struct {
	done chan error
}

// startUI subscribes the terminal UI (before Run, so it misses nothing) and
// shows it. If the terminal fails, the run is quit: nobody could watch it. A
// terminal that hung up mid-run is a dead output (like SIGHUP: exit 129,
// never a second request).
func startUI(e *engine.Engine) *uiRun {
	sub := e.Subscribe(engine.SubscribeOptions{LogBuffer: 1 << 16})
	u := &uiRun{done: make(chan error, 1)}
	go func() {
		// If ovrseer dies while the UI holds the terminal (a panic, SIGKILL),
		// the watchdog restores it and says where the crash trace went.
		watchdog.HoldTerminal(0) // stdin; 0 rather than os.Stdin.Fd(), which would make it blocking
		err := tui.Run(e, tui.Options{Subscription: sub, FailedStartHold: tui.FailedStartHold})
		watchdog.ReleaseTerminal()
		switch {
		case errors.Is(err, tui.ErrTerminalLost):
			e.OutputLost(syscall.SIGHUP)
		case err != nil:
			e.Quit()
		}
		u.done <- err
	}()
	return u
}

// finish waits for the UI to close (it does once the event stream ends, or
// after a failed start once a key was pressed or tui.FailedStartHold
// passed) and reports a terminal failure now that the terminal is restored.
func (u *uiRun) finish(stderr io.Writer) {
	select {
	case err := <-u.done:
		if err != nil {
			fmt.Fprintf(stderr, "ovrseer: terminal UI: %v\n", err)
		}
	case <-time.After(outputDrainTimeout + tui.FailedStartHold):
		fmt.Fprintln(stderr, "ovrseer: the terminal UI did not close in time")
	}
}

// terminalOK says whether the terminal UI has a terminal to draw on: it
// opens /dev/tty as the UI does, so --tui without one is a usage error
// before anything starts.
func terminalOK() error {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("no terminal to draw on (%w); --no-tui prints plain lines", err)
	}
	return f.Close()
}
