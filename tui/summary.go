package tui

import (
	"fmt"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// summary writes one line per process: state, restarts, last exit and
// flag counts.
func (h *Headless) summary() {
	if h.opts.Snapshot == nil {
		return
	}
	procs := h.opts.Snapshot()
	if len(procs) == 0 {
		return
	}
	h.say("", "summary:")
	for _, p := range procs {
		h.say(stateColor(p.Status.State), "  %s", summaryLine(p, h.width))
	}
}

func summaryLine(p engine.ProcessStatus, width int) string {
	s := p.Status
	line := fmt.Sprintf("%-*s %-9s restarts %d  %s", width, p.Name, s.State, s.Restarts, lastExit(s))
	if len(s.Flags) == 0 {
		return line
	}
	names := make([]string, 0, len(s.Flags))
	for n := range s.Flags {
		names = append(names, n)
	}
	slices.Sort(names)
	counts := make([]string, len(names))
	for i, n := range names {
		counts[i] = fmt.Sprintf("%s=%d", n, s.Flags[n])
	}
	return line + "  flags " + strings.Join(counts, " ")
}

func lastExit(s unit.Status) string {
	switch {
	case !s.Exited:
		return "exit -"
	case s.Signal != 0:
		return "signal " + signalName(s.Signal)
	default:
		return fmt.Sprintf("exit %d", s.ExitCode)
	}
}

func signalName(sig syscall.Signal) string {
	if name := unix.SignalName(sig); name != "" {
		return name
	}
	return sig.String()
}

func stateColor(s unit.State) string {
	if s == unit.StateFailed || s == unit.StateCrashed {
		return sgrRed
	}
	return ""
}
