package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/ovrseer/ovrseer/internal/control"
	"github.com/ovrseer/ovrseer/tui"
)

// cmdAttach is `ovrseer attach`: the terminal UI on the running stack; q
// or Ctrl-C detaches, Q shuts the stack down.
func cmdAttach(c *clientCtx) int {
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	if _, err := cl.Status(c.ctx); err != nil {
		return c.fail(err)
	}
	remote := control.NewRemote(cl)
	defer remote.Close()
	if err := tui.Run(remote, tui.Options{Attached: true}); err != nil {
		fmt.Fprintf(c.stderr, "ovrseer attach: %v\n", err)
		return exitFailed
	}
	if remote.Phase() == "exited" {
		fmt.Fprintf(c.stdout, "ovrseer: the run of %s is over\n", c.ovrfile)
	} else {
		fmt.Fprintf(c.stdout, "ovrseer: detached; %s keeps running (ovrseer down stops it)\n", c.ovrfile)
	}
	return exitOK
}

// cmdLs is `ovrseer ls`: this user's running stacks.
func cmdLs(c *clientCtx) int {
	runs := control.Runs(os.Getenv)
	if len(runs) == 0 {
		fmt.Fprintln(c.stderr, "ovrseer: no stack is running")
		return exitOK
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PID\tPHASE\tOVRFILE")
	for _, r := range runs {
		phase := "(no control socket)"
		if r.Socket != "" {
			if st, err := control.DialSocket(r.Socket).Status(c.ctx); err == nil {
				phase = st.Phase
			} else {
				phase = "(not answering)"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", r.Pid, phase, r.Ovrfile)
	}
	tw.Flush()
	return exitOK
}
