package unit

import (
	"errors"
	"fmt"
	"time"

	"github.com/ovrseer/ovrseer/crashrep"
)

const (
	// maxReportLines caps a report's lastLogs.
	maxReportLines = 100
	// maxReports is how many crash reports a unit writes in its life (one
	// run); later crashes are counted in Status.Unreported.
	maxReports = 50
	// reportTimeout bounds the wait for a report before EventCrash is
	// emitted without it.
	reportTimeout = 2 * time.Second
)

// pendingCrash is a crash whose EventCrash waits for its report, written by
// a goroutine of its own so that a slow disk never delays the actor (a
// Stop, a Kill).
type pendingCrash struct {
	ev      Event
	fail    string       // the EventFailed reason to follow; "" for a restart
	written chan written // cap 1: the writer never blocks on it
	timeout *time.Timer  // reportTimeout
	taken   bool         // a command (Start, Stop, Restart) decided what follows
}

type written struct {
	path string
	err  error
}

func (pc *pendingCrash) writtenC() <-chan written {
	if pc == nil {
		return nil
	}
	return pc.written
}

func (pc *pendingCrash) timeoutC() <-chan time.Time {
	if pc == nil {
		return nil
	}
	return timerC(pc.timeout)
}

// overtake records that a command took over from the pending crash: once
// it is reported, neither a restart nor a failure follows.
func (pc *pendingCrash) overtake() {
	if pc != nil {
		pc.taken = true
	}
}

// reportCrash has the report of crash ev written off the actor, at most
// maxReports per unit; EventCrash (with the report's path) follows once it
// is on disk or after reportTimeout, then what crashed decides.
func (u *Unit) reportCrash(a *attempt, e *exitInfo, ev Event, fail string) {
	if old := u.crashing; old != nil { // started again and crashed meanwhile
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: crash report: %w", u.spec.Name, errStillWriting)})
		u.finishCrash()
	}
	pc := &pendingCrash{ev: ev, fail: fail}
	u.crashing = pc
	if u.opts.Sink == nil {
		u.finishCrash()
		return
	}
	if u.reports >= maxReports {
		u.unreported++
		u.publish()
		u.finishCrash()
		return
	}
	u.reports++
	r := u.newReport(a, e, ev)
	pc.written = make(chan written, 1)
	pc.timeout = time.NewTimer(reportTimeout)
	go func(sink crashrep.Sink) {
		path, err := sink.Write(r)
		pc.written <- written{path: path, err: err}
	}(u.opts.Sink)
}

var errStillWriting = errors.New("the previous report is still being written")

// reportWritten takes the writer's result.
func (u *Unit) reportWritten(w written) {
	var moved *crashrep.FallbackError
	switch {
	case errors.As(w.err, &moved): // written, but not where the Ovrfile said
		u.crashing.ev.Report = w.path
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: crash report: %w (fix crash_dir or --crash-dir)", u.spec.Name, w.err)})
	case w.err != nil:
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: crash report: %w", u.spec.Name, w.err)})
	default:
		u.crashing.ev.Report = w.path
	}
	u.finishCrash()
}

// reportLate gives up waiting for the report.
func (u *Unit) reportLate() {
	u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: crash report: not written after %s",
		u.spec.Name, FormatDuration(reportTimeout))})
	u.finishCrash()
}

// finishCrash emits the pending EventCrash and goes on after the crash,
// unless a command took over meanwhile.
func (u *Unit) finishCrash() {
	pc := u.crashing
	u.crashing = nil
	stopTimer(&pc.timeout)
	if pc.taken {
		pc.ev.WillRestart = false
		u.emit(pc.ev)
		return
	}
	u.crashed(pc.ev, pc.fail)
}

// newReport builds the crash report of ev (e is nil when the process never
// started).
func (u *Unit) newReport(a *attempt, e *exitInfo, ev Event) *crashrep.Report {
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
		r.ExitCode, r.Signal = ExitFields(e.code, e.sig)
	}
	return r
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
