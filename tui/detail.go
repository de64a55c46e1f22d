package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

// detailText is the log's first row: the selected process's pid, state
// and since when, uptime, restarts, last exit and when the next restart
// comes. It is computed when drawn (no timer: an idle UI costs nothing).
func (u *ui) detailText() string {
	if p := u.selected(); p != nil {
		return detailText(p, time.Now())
	}
	return ""
}

// detailText describes p at now.
func detailText(p *procView, now time.Time) string {
	switch {
	case p.sys:
		return "ovrseer's own lines: phases, readiness, crashes and their reports, errors, the summary"
	case p.hook:
		return "hook output (" + p.name + ")"
	}
	s := p.status
	var parts []string
	if s.Pid > 0 {
		parts = append(parts, fmt.Sprintf("pid %d", s.Pid))
	}
	state := s.State.String()
	if !s.Since.IsZero() {
		state += " since " + s.Since.Format("15:04:05")
		if p.running() {
			parts = append(parts, state, "up "+unit.FormatDuration(now.Sub(s.Since).Truncate(time.Second)))
		} else {
			parts = append(parts, state)
		}
	} else {
		parts = append(parts, state)
	}
	parts = append(parts, fmt.Sprintf("restarts %d", s.Restarts))
	if s.Exited {
		if s.Signal != 0 {
			parts = append(parts, "last exit "+unit.SignalName(s.Signal))
		} else {
			parts = append(parts, fmt.Sprintf("last exit code %d", s.ExitCode))
		}
	}
	if p.nextRestart.After(now) && !p.running() {
		parts = append(parts, "next restart in "+unit.FormatDuration(p.nextRestart.Sub(now).Round(100*time.Millisecond)))
	}
	return strings.Join(parts, " · ")
}
