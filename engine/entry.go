package engine

import (
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

// entry is one queued event. A process:log event, the bulk of the traffic,
// is kept inline in a fifth of an Event's size (72 bytes); any other event
// (rare) is a private copy behind ev. A log line from a process's pipe
// knows that process (src), so records can account for it per process.
type entry struct {
	time    time.Time
	process string
	line    string
	ev      *Event // nil for an inline log event
	src     int32  // the publishing process's index + 1; 0 for other lines
	stream  uint8  // an index into streamNames
	group   uint8  // an index into groupNames
}

// streamNames are the Event.Stream values an inline log event can carry.
var streamNames = [...]string{"", "stdout", "stderr"}

// groupNames are the Event.Group values an inline log event can carry.
var groupNames = [...]Group{"", Dependencies, Main, Cleanup, Hooks}

// groupIndex is g's index in groupNames.
func groupNameIndex(g Group) (uint8, bool) {
	switch g {
	case "":
		return 0, true
	case Dependencies:
		return 1, true
	case Main:
		return 2, true
	case Cleanup:
		return 3, true
	case Hooks:
		return 4, true
	}
	return 0, false
}

// streamIndex maps a logger stream to its index in streamNames.
func streamIndex(s logger.Stream) (uint8, bool) {
	switch s {
	case logger.Stdout:
		return 1, true
	case logger.Stderr:
		return 2, true
	}
	return 0, false
}

// streamNameIndex is name's index in streamNames.
func streamNameIndex(name string) (uint8, bool) {
	switch name {
	case "":
		return 0, true
	case "stdout":
		return 1, true
	case "stderr":
		return 2, true
	}
	return 0, false
}

// logEntry sets *en to the inline entry of ev when ev is a process:log
// event with only the fields an inline entry keeps.
func logEntry(en *entry, ev *Event) bool {
	if ev.Type != ProcessLog || !onlyLogFields(ev) {
		return false
	}
	g, okG := groupNameIndex(ev.Group)
	st, okS := streamNameIndex(ev.Stream)
	if !okG || !okS {
		return false
	}
	*en = entry{time: ev.Time, process: ev.Process, line: ev.Line, group: g, stream: st}
	return true
}

// onlyLogFields reports whether every field but those of a log event
// (Type, Time, Process, Group, Stream, Line) is zero.
func onlyLogFields(ev *Event) bool {
	return ev.State == "" && ev.Pid == 0 && ev.Attempt == 0 && ev.DurationMs == 0 && ev.ExitCode == nil &&
		ev.Signal == "" && ev.Reason == "" && ev.Restarts == 0 && !ev.WillRestart &&
		ev.Report == "" && ev.DelayMs == 0 && ev.Flag == "" && ev.Color == "" &&
		ev.Count == 0 && ev.Target == nil && ev.Context == nil && ev.Phase == "" &&
		ev.Error == "" && ev.Failed == nil && ev.Start == nil && ev.Reload == nil
}

// event sets *ev to the queued event.
func (en *entry) event(ev *Event) {
	if en.ev != nil {
		*ev = *en.ev
		return
	}
	*ev = Event{Type: ProcessLog}
	en.logFields(ev)
}

// logFields sets the fields of an inline log event in *ev, which already
// holds a log event.
func (en *entry) logFields(ev *Event) {
	ev.Time, ev.Process, ev.Group = en.time, en.process, groupNames[en.group]
	ev.Stream, ev.Line = streamNames[en.stream], en.line
}

// isLog reports whether the entry is a process:log event.
func (en *entry) isLog() bool { return en.ev == nil || en.ev.Type == ProcessLog }

// processName is the entry's Event.Process.
func (en *entry) processName() string {
	if en.ev != nil {
		return en.ev.Process
	}
	return en.process
}

// when is the entry's event time.
func (en *entry) when() time.Time {
	if en.ev != nil {
		return en.ev.Time
	}
	return en.time
}
