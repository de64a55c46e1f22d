package control

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// wireEvent is an event as the API writes it (docs/events.md), with the
// history's seq.
type wireEvent struct {
	Seq         uint64    `json:"seq"`
	Type        string    `json:"type"`
	Time        time.Time `json:"time"`
	Process     string    `json:"process"`
	Group       string    `json:"group"`
	Pid         int       `json:"pid"`
	Attempt     int       `json:"attempt"`
	DurationMs  int64     `json:"duration_ms"`
	ExitCode    *int      `json:"exit_code"`
	Signal      *string   `json:"signal"`
	Reason      string    `json:"reason"`
	Restarts    int       `json:"restarts"`
	WillRestart bool      `json:"will_restart"`
	Report      string    `json:"report"`
	DelayMs     int64     `json:"delay_ms"`
	Stream      string    `json:"stream"`
	Line        string    `json:"line"`
	Flag        string    `json:"flag"`
	Color       string    `json:"color"`
	Count       int       `json:"count"`
	Target      *int      `json:"target"`
	Context     []string  `json:"context"`
	Phase       string    `json:"phase"`
	Error       string    `json:"error"`
	Failed      []string  `json:"failed"`
	Added       []string  `json:"added"`
	Removed     []string  `json:"removed"`
	Changed     []string  `json:"changed"`
}

// DecodeEvent parses one line of GET /v1/events into ev and returns its
// seq (0 for lines without one: live log events, events:dropped).
func DecodeEvent(line []byte, ev *engine.Event) (uint64, error) {
	var w wireEvent
	if err := json.Unmarshal(line, &w); err != nil {
		return 0, fmt.Errorf("control: event: %w", err)
	}
	*ev = engine.Event{Type: engine.Type(w.Type), Time: w.Time, Process: w.Process, Group: engine.Group(w.Group),
		Pid: w.Pid, Attempt: w.Attempt, DurationMs: w.DurationMs, ExitCode: w.ExitCode, Reason: w.Reason,
		Restarts: w.Restarts, WillRestart: w.WillRestart, Report: w.Report, DelayMs: w.DelayMs,
		Stream: w.Stream, Line: w.Line, Flag: w.Flag, Color: w.Color, Count: w.Count, Target: w.Target, Context: w.Context,
		Phase: w.Phase, Error: w.Error, Failed: w.Failed}
	if w.Signal != nil {
		ev.Signal = *w.Signal
	}
	if ev.Type == engine.LifecycleReload {
		ev.Reload = &engine.ReloadDiff{Added: w.Added, Removed: w.Removed, Changed: w.Changed}
	}
	return w.Seq, nil
}

// StripSeq returns an event line of GET /v1/events without its "seq"
// field: exactly what --events writes.
func StripSeq(line []byte) []byte {
	const prefix = `{"seq":`
	if len(line) < len(prefix) || string(line[:len(prefix)]) != prefix {
		return line
	}
	i := len(prefix)
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i >= len(line) || line[i] != ',' {
		return line
	}
	out := make([]byte, 0, len(line)-i)
	return append(append(out, '{'), line[i+1:]...)
}
