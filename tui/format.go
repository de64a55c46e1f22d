package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/ansi"
	"github.com/ovrseer/ovrseer/unit"
)

// event writes one event. process:log is the hot path: prefix, text made
// safe, newline, no allocation.
func (h *Headless) event(ev *engine.Event) {
	switch ev.Type {
	case engine.ProcessLog:
		h.w.Write(h.prefix(ev.Process))
		h.text(ev.Line)
		h.w.WriteByte('\n')
	case engine.ProcessSpawn:
		if ev.Attempt > 1 {
			h.say("", "%s started (pid %d, attempt %d)", ev.Process, ev.Pid, ev.Attempt)
		} else {
			h.say("", "%s started (pid %d)", ev.Process, ev.Pid)
		}
	case engine.ProcessReady:
		h.say("", "%s ready (pid %d, %s)", ev.Process, ev.Pid, millis(ev.DurationMs))
	case engine.ProcessExit:
		if ev.Process == h.opts.ExitWith && ev.State == unit.StateCompleted.String() {
			h.say("", "%s exited: %s (exit_with)", ev.Process, exitText(ev))
		} else {
			h.say("", "%s exited: %s after %s", ev.Process, exitText(ev), millis(ev.DurationMs))
		}
	case engine.ProcessCrash:
		h.crash(ev)
	case engine.ProcessRestart:
		if ev.Reason == "" || ev.Reason == "crash" {
			h.say("", "%s restarting after %s (attempt %d)", ev.Process, millis(ev.DelayMs), ev.Attempt)
		} else {
			h.say("", "%s restarting: %s (attempt %d)", ev.Process, ev.Reason, ev.Attempt)
		}
	case engine.ProcessFailed:
		h.say(sgrRed, "%s failed: %s", ev.Process, ev.Reason)
	case engine.ProcessUnhealthy:
		h.say(sgrRed, "%s unhealthy: %s failed %d times in a row: %s", ev.Process, ev.Reason, ev.Count, ev.Error)
	case engine.FlagMatched:
		h.flagMatched(ev)
	case engine.FlagExceeded:
		h.say(flagColors[ev.Color], "flag %s exceeded target %s in %s (count %d)",
			ev.Flag, target(ev.Target), ev.Process, ev.Count)
	case engine.EventsDropped:
		h.say("", "%d log lines dropped: output could not keep up", ev.Count)
	default:
		h.lifecycle(ev)
	}
}

// lifecycle writes the phase changes.
func (h *Headless) lifecycle(ev *engine.Event) {
	switch ev.Type {
	case engine.DependenciesReady:
		h.say("", "dependencies ready in %s", millis(ev.DurationMs))
	case engine.MainStarted:
		h.say("", "main processes started")
	case engine.MainReady:
		h.say("", "main processes ready in %s", millis(ev.DurationMs))
	case engine.Shutdown:
		h.say("", "shutting down: %s", ev.Reason)
	case engine.MainStopped:
		h.say("", "main processes stopped")
	case engine.CleanupStarted:
		h.say("", "cleanup started")
	case engine.CleanupComplete:
		if len(ev.Failed) > 0 {
			h.say(sgrRed, "cleanup complete; failed: %s", strings.Join(ev.Failed, ", "))
		} else {
			h.say("", "cleanup complete")
		}
	case engine.LifecycleError:
		where := ev.Phase
		if ev.Process != "" {
			where += ", " + ev.Process
		}
		h.say(sgrRed, "error (%s): %s", where, ev.Error)
	case engine.LifecycleReload:
		h.widen()
		h.say("", "reloaded: %s", reloadText(ev.Reload))
	case engine.LifecycleStart:
		// Nothing to show: it tells runs in one events file apart.
	case engine.LifecycleExit:
		h.exitCode = ev.ExitCode // the summary and exit line close the stream
	default:
		h.say("", "%s %s", ev.Type, ev.Process)
	}
}

// reloadText is "added a; removed b; changed c, d" (the parts that apply).
func reloadText(d *engine.ReloadDiff) string {
	var parts []string
	if d != nil {
		for _, p := range []struct {
			what  string
			names []string
		}{{"added", d.Added}, {"removed", d.Removed}, {"changed", d.Changed}} {
			if len(p.names) > 0 {
				parts = append(parts, p.what+" "+strings.Join(p.names, ", "))
			}
		}
	}
	if len(parts) == 0 {
		return "nothing changed"
	}
	return strings.Join(parts, "; ")
}

func (h *Headless) crash(ev *engine.Event) {
	msg := fmt.Sprintf("%s crashed: %s", ev.Process, ev.Reason)
	if ev.Report != "" {
		msg += " — report " + ev.Report
	}
	if ev.WillRestart {
		msg += fmt.Sprintf(" (restart %d follows)", ev.Restarts+1)
	} else {
		msg += " (no restart)"
	}
	h.say(sgrRed, "%s", msg)
}

// flagMatched writes the match and, when the flag has context, the window
// with the matched line marked.
func (h *Headless) flagMatched(ev *engine.Event) {
	h.say(flagColors[ev.Color], "flag %s in %s (%d): %s", ev.Flag, ev.Process, ev.Count, ev.Line)
	if len(ev.Context) <= 1 {
		return
	}
	marked := false
	for _, l := range ev.Context {
		mark := "   "
		if !marked && l == ev.Line {
			mark, marked = "  >", true
		}
		h.say("", "%s %s", mark, l)
	}
}

// say writes one of ovrseer's own lines (several if msg has newlines), the
// message in color when colour is on and color is not "". String arguments
// may hold child text (a flag's line, a hook's error): each is made safe
// for a terminal on its own unless Raw.
func (h *Headless) say(color, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok && !h.opts.Raw && !ansi.Safe(s) {
			args[i] = safeLines(s)
		}
	}
	msg := fmt.Sprintf(format, args...)
	for line := range strings.SplitSeq(msg, "\n") {
		h.w.Write(h.sys)
		if h.opts.Color && color != "" {
			h.w.WriteString(color)
			h.w.WriteString(line)
			h.w.WriteString(sgrReset)
		} else {
			h.w.WriteString(line)
		}
		h.w.WriteByte('\n')
	}
}

// safeLines returns s made safe for a terminal line by line.
func safeLines(s string) string {
	var b []byte
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b = append(b, '\n')
		}
		b = ansi.AppendSafe(b, line)
	}
	return string(b)
}

// text writes s, a child's line, made safe for a terminal unless Raw; a
// line without control bytes is written as it is, without a copy.
func (h *Headless) text(s string) {
	if h.opts.Raw || ansi.Safe(s) {
		h.w.WriteString(s)
		return
	}
	h.safe = ansi.AppendSafe(h.safe[:0], s)
	h.w.Write(h.safe)
}

// exitText describes how a process ended.
func exitText(ev *engine.Event) string {
	if ev.ExitCode != nil {
		return fmt.Sprintf("code %d", *ev.ExitCode)
	}
	if ev.Signal != "" {
		return "signal " + ev.Signal
	}
	return "unknown status"
}

func target(t *int) string {
	if t == nil {
		return "none"
	}
	return fmt.Sprint(*t)
}

// millis renders a measured duration in milliseconds for people, rounded
// to 0.1 s above a second and to 1 s above a minute, written as everywhere
// else (unit.FormatDuration): 45ms, 1.2s, 1m30s.
func millis(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	switch {
	case d >= time.Minute:
		d = d.Round(time.Second)
	case d >= time.Second:
		d = d.Round(100 * time.Millisecond)
	}
	return unit.FormatDuration(d)
}
