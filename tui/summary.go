package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// Summary writes one line per process (state, restarts, last exit and flag
// counts) and the exit line, and flushes. Run calls it when the stream ends
// after lifecycle:exit; after the terminal UI, main calls it on a printer
// of its own.
func (h *Headless) Summary() {
	if h.opts.Snapshot != nil {
		if procs := h.opts.Snapshot(); len(procs) > 0 {
			h.say("", "summary:")
			for _, p := range procs {
				h.say(stateColor(p.Status.State), "  %s", summaryLine(p, h.width))
			}
		}
	}
	if h.exitCode != nil {
		h.say("", "exit %d", *h.exitCode)
	}
	h.Flush()
}

// SetExitCode records the code the exit line shows (when Run did not see
// lifecycle:exit itself).
func (h *Headless) SetExitCode(code int) { h.exitCode = &code }

func summaryLine(p engine.ProcessStatus, width int) string {
	s := p.Status
	line := fmt.Sprintf("%-*s %-9s restarts %d  %s", width, p.Name, s.State, s.Restarts, lastExit(s))
	if s.Unreported > 0 {
		line += fmt.Sprintf("  %d crashes without a report (limit reached)", s.Unreported)
	}
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
		return "signal " + unit.SignalName(s.Signal)
	default:
		return fmt.Sprintf("exit %d", s.ExitCode)
	}
}

func stateColor(s unit.State) string {
	if s == unit.StateFailed || s == unit.StateCrashed {
		return sgrRed
	}
	return ""
}
