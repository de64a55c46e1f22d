package unit

import (
	"fmt"
	"time"

	"github.com/ovrseer/ovrseer/crashrep"
)

// maxReportLines caps a report's lastLogs.
const maxReportLines = 100

// writeReport stores the crash report through Options.Sink and returns
// where it went; a failure is an EventError and supervision goes on.
func (u *Unit) writeReport(a *attempt, e *exitInfo, ev Event) string {
	if u.opts.Sink == nil {
		return ""
	}
	r := &crashrep.Report{
		ProcessName: u.spec.Name,
		Group:       u.spec.Group,
		Command:     u.spec.Argv[0],
		Args:        append([]string{}, u.spec.Argv[1:]...),
		Pid:         a.pid,
		Reason:      ev.Reason,
		Timestamp:   time.Now(),
		Restarts:    ev.Restarts,
		WillRestart: ev.WillRestart,
		Flags:       u.Status().Flags,
		LastLogs:    u.lastLogs(),
	}
	if e != nil {
		r.UptimeMs = e.at.Sub(a.start).Milliseconds()
		if e.sig != 0 {
			name := signalName(e.sig)
			r.Signal = &name
		} else {
			code := e.code
			r.ExitCode = &code
		}
	}
	path, err := u.opts.Sink.Write(r)
	if err != nil {
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: crash report: %w", u.spec.Name, err)})
		return ""
	}
	return path
}

// lastLogs are the texts of the most recent min(LogLines, 100) lines.
func (u *Unit) lastLogs() []string {
	lines := u.ring.Last(min(u.spec.LogLines, maxReportLines))
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Text
	}
	return out
}
