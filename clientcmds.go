package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/control"
)

// cmdPs is `ovrseer ps [--json]`: every process as an aligned table.
func cmdPs(c *clientCtx) int {
	if len(c.args) > 0 {
		return c.usage("ps takes no arguments")
	}
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	ps, err := cl.Processes(c.ctx)
	if err != nil {
		return c.fail(err)
	}
	if asJSON, _ := c.flags.GetBool("json"); asJSON {
		data, _ := json.MarshalIndent(ps, "", "  ")
		fmt.Fprintf(c.stdout, "%s\n", data)
		return exitOK
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tGROUP\tSTATE\tPID\tUPTIME\tRESTARTS\tLAST EXIT\tFLAGS")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p.Name, p.Group, p.State, dash(p.Pid),
			uptime(p.UptimeS), p.Restarts, lastExit(p), flagCounts(p.Flags))
	}
	tw.Flush()
	return exitOK
}

func dash(pid int) string {
	if pid == 0 {
		return "-"
	}
	return strconv.Itoa(pid)
}

func uptime(s float64) string {
	if s <= 0 {
		return "-"
	}
	return (time.Duration(s) * time.Second).Round(time.Second).String()
}

func lastExit(p control.Process) string {
	switch {
	case p.ExitCode != nil:
		return strconv.Itoa(*p.ExitCode)
	case p.Signal != nil:
		return *p.Signal
	}
	return "-"
}

func flagCounts(flags map[string]int) string {
	var parts []string
	for name, n := range flags {
		parts = append(parts, fmt.Sprintf("%s %d", name, n))
	}
	if len(parts) == 0 {
		return "-"
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// cmdAction is `ovrseer restart|stop|start NAME... [--no-wait]`; restart
// without a name restarts every main process, in deps order, as R does.
func cmdAction(c *clientCtx) int {
	if len(c.args) == 0 && c.name == "restart" {
		return cmdRestartAll(c)
	}
	if len(c.args) == 0 {
		return c.usage(c.name + " needs at least one process name")
	}
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	noWait, _ := c.flags.GetBool("no-wait")
	code = exitOK
	for _, name := range c.args {
		ps, err := cl.Action(c.ctx, name, c.name, !noWait)
		if err != nil {
			code = max(code, c.fail(err))
			continue
		}
		for _, p := range ps {
			if noWait { // its state is still the one before the action
				fmt.Fprintf(c.stdout, "%s: %s requested\n", p.Name, c.name)
				continue
			}
			fmt.Fprintf(c.stdout, "%s: %s (pid %s)\n", p.Name, p.State, dash(p.Pid))
		}
	}
	return code
}

// cmdRestartAll is `ovrseer restart [--no-wait]` without a name.
func cmdRestartAll(c *clientCtx) int {
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	noWait, _ := c.flags.GetBool("no-wait")
	names, err := cl.RestartAll(c.ctx, !noWait)
	if err != nil {
		return c.fail(err)
	}
	if noWait { // their states are still the ones before the restart
		for _, name := range names {
			fmt.Fprintf(c.stdout, "%s: restart requested\n", name)
		}
		return exitOK
	}
	ps, err := cl.Processes(c.ctx)
	if err != nil {
		return c.fail(err)
	}
	for _, p := range ps {
		if slices.Contains(names, p.Name) {
			fmt.Fprintf(c.stdout, "%s: %s (pid %s)\n", p.Name, p.State, dash(p.Pid))
		}
	}
	return exitOK
}

// cmdSend is `ovrseer send NAME TEXT`.
func cmdSend(c *clientCtx) int {
	if len(c.args) != 2 {
		return c.usage("usage: ovrseer send NAME TEXT")
	}
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	if err := cl.Send(c.ctx, c.args[0], c.args[1]); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// cmdReload is `ovrseer reload`.
func cmdReload(c *clientCtx) int {
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	var res struct{ Errors []string }
	if err := cl.Do(c.ctx, http.MethodPost, "/v1/reload", nil, &res); err != nil {
		return c.fail(err)
	}
	for _, e := range res.Errors {
		fmt.Fprintln(c.stderr, e)
	}
	if len(res.Errors) > 0 {
		return exitFailed
	}
	fmt.Fprintln(c.stdout, "reloaded")
	return exitOK
}

// cmdEvents is `ovrseer events [-f]`: the history, then with -f the live
// events, as --events writes them.
func cmdEvents(c *clientCtx) int {
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	follow, _ := c.flags.GetBool("follow")
	path := "/v1/events"
	if follow {
		path += "?follow=1"
	}
	body, err := cl.Stream(c.ctx, path)
	if err != nil {
		return c.fail(err)
	}
	defer body.Close()
	w := bufio.NewWriter(c.stdout)
	br := bufio.NewReaderSize(body, 64<<10)
	err = control.Lines(br, func(line []byte) bool {
		w.Write(control.StripSeq(line))
		w.WriteByte('\n')
		if br.Buffered() == 0 {
			return w.Flush() == nil
		}
		return true
	})
	w.Flush()
	if err != nil && c.ctx.Err() == nil {
		return c.fail(err)
	}
	return exitOK
}

// cmdDown is `ovrseer down`: the orderly shutdown; it prints `exit N` and
// returns N once the run is over.
func cmdDown(c *clientCtx) int {
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	body, err := cl.Stream(c.ctx, "/v1/events?follow=1") // before the shutdown: its end is not missed
	if err != nil {
		return c.fail(err)
	}
	defer body.Close()
	if err := cl.Shutdown(c.ctx); err != nil {
		return c.fail(err)
	}
	exit := -1
	var ev engine.Event
	control.Lines(body, func(line []byte) bool {
		if _, err := control.DecodeEvent(line, &ev); err == nil && ev.Type == engine.LifecycleExit && ev.ExitCode != nil {
			exit = *ev.ExitCode
			return false
		}
		return true
	})
	if exit < 0 {
		fmt.Fprintln(c.stderr, "ovrseer down: the run ended without telling its exit code")
		return exitNoRun
	}
	waitUnlocked(cl.Paths.Lock, 10*time.Second)
	fmt.Fprintf(c.stdout, "exit %d\n", exit)
	return exit
}

// waitUnlocked waits (at most d) until the run released its lock, so that
// a new run may start as soon as `down` returns.
func waitUnlocked(lock string, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if _, held := control.Held(lock); !held {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *clientCtx) usage(msg string) int {
	fmt.Fprintf(c.stderr, "ovrseer %s: %s\nRun 'ovrseer -h' for help.\n", c.name, msg)
	return exitUsage
}
