package tui

import (
	"fmt"

	"github.com/ovrseer/ovrseer/engine"
)

// pendingLines are a process's new lines, at most twice its history's
// size of them.
// Lines lost before they were drawn (the subscription fell behind, or more
// arrived in one frame than the view keeps) are shown where they were as
// one line "… N lines skipped" (docs/events.md: the TUI is a view).
type pendingLines struct {
	name     string
	group    engine.Group
	lines    []string
	meta     []lineMeta // per line
	headSkip int        // lines[0] is a marker for this many skipped lines; 0 if not
	limit    int        // the history's size (the process's ring)
}

// pending returns the pending lines of ev's process, through a one-entry
// cache: runs of lines from one process skip the map.
func (d *drain) pending(ev *engine.Event) *pendingLines {
	if ev.Process == d.lastName && d.last != nil {
		return d.last
	}
	pl := d.pend.lines[ev.Process]
	if pl == nil {
		pl = &pendingLines{name: ev.Process, group: ev.Group, limit: d.limits[ev.Process]}
		if pl.limit <= 0 {
			pl.limit = maxViewLines
		}
		d.pend.lines[ev.Process] = pl
		d.pend.order = append(d.pend.order, pl)
	}
	d.lastName, d.last = ev.Process, pl
	return pl
}

// add appends a line; at twice the limit the oldest half goes, replaced by
// a marker that counts them.
func (pl *pendingLines) add(line string, m lineMeta) {
	pl.lines = append(pl.lines, line)
	pl.meta = append(pl.meta, m)
	if len(pl.lines) < 2*pl.limit {
		return
	}
	cut := len(pl.lines) - pl.limit + 1 // one row for the marker
	skipped := cut
	if pl.headSkip > 0 {
		skipped += pl.headSkip - 1 // the old marker stood for headSkip lines
	}
	pl.lines[cut-1] = skippedLine(skipped)
	pl.lines = append(pl.lines[:0], pl.lines[cut-1:]...)
	pl.meta = append(pl.meta[:0], pl.meta[cut-1:]...)
	pl.headSkip = skipped
}

// skip marks n lines lost at this point.
func (pl *pendingLines) skip(n int, m lineMeta) {
	if len(pl.lines) == 0 {
		pl.headSkip = n
	}
	pl.lines = append(pl.lines, skippedLine(n))
	pl.meta = append(pl.meta, m&^1)
}

// skippedLine is the marker for n lost lines, dimmed.
func skippedLine(n int) string {
	if n == 1 {
		return "\x1b[2m… 1 line skipped\x1b[22m"
	}
	return fmt.Sprintf("\x1b[2m… %d lines skipped\x1b[22m", n)
}

// isMarker reports whether an event of type t is marked in its process's
// log: where it started, exited, crashed or was restarted.
func isMarker(t engine.Type) bool {
	switch t {
	case engine.ProcessSpawn, engine.ProcessExit, engine.ProcessCrash, engine.ProcessRestart:
		return true
	}
	return false
}

// markerLine is an event's headless line as a dim marker in the log.
func markerLine(line string) string { return "\x1b[2m── " + line + " ──\x1b[22m" }
