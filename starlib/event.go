package starlib

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ovrseer/ovrseer/engine"
)

// eventValue renders ev as the read-only struct ctx.event: type, time,
// process, group and every field name; a field the event lacks is None.
// For process:log, ev.Count is ctx.event.dropped.
func eventValue(ev engine.Event) *starlarkstruct.Struct {
	d := starlark.StringDict{
		"type":    starlark.String(ev.Type),
		"time":    starlark.String(ev.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00")),
		"process": optString(ev.Process),
		"group":   optString(string(ev.Group)),
	}
	for _, f := range engine.AllFields {
		d[f] = starlark.None
	}
	for _, f := range ev.Type.Fields() {
		d[f] = fieldValue(&ev, f)
	}
	// dropped: the process's lines the hooks' queue lost before this one
	// (a hook on process:log is a view, docs/events.md).
	d["dropped"] = starlark.None
	if ev.Type == engine.ProcessLog {
		d["dropped"] = starlark.MakeInt(ev.Count)
	}
	s := starlarkstruct.FromStringDict(starlark.String("event"), d)
	s.Freeze()
	return s
}

func fieldValue(ev *engine.Event, name string) starlark.Value {
	switch name {
	case "state":
		return starlark.String(ev.State)
	case "pid":
		return starlark.MakeInt(ev.Pid)
	case "attempt":
		return starlark.MakeInt(ev.Attempt)
	case "duration_ms":
		return starlark.MakeInt64(ev.DurationMs)
	case "exit_code":
		return optInt(ev.ExitCode)
	case "signal":
		return optString(ev.Signal)
	case "reason", "check": // process:unhealthy keeps its check in Reason
		return starlark.String(ev.Reason)
	case "restarts":
		return starlark.MakeInt(ev.Restarts)
	case "will_restart":
		return starlark.Bool(ev.WillRestart)
	case "report":
		return optString(ev.Report)
	case "delay_ms":
		return starlark.MakeInt64(ev.DelayMs)
	case "stream":
		return starlark.String(ev.Stream)
	case "line":
		return starlark.String(ev.Line)
	case "flag":
		return starlark.String(ev.Flag)
	case "color":
		return starlark.String(ev.Color)
	case "count", "failures": // process:unhealthy keeps its failures in Count
		return starlark.MakeInt(ev.Count)
	case "target":
		return optInt(ev.Target)
	case "context":
		return stringTuple(ev.Context)
	case "phase":
		return starlark.String(ev.Phase)
	case "error":
		return starlark.String(ev.Error)
	case "failed":
		return stringTuple(ev.Failed)
	case "added", "removed", "changed":
		return reloadField(ev.Reload, name)
	case "version", "ovrfile", "mode", "root":
		return startField(ev.Start, name)
	}
	return starlark.None
}

// reloadField is a field of lifecycle:reload.
func reloadField(d *engine.ReloadDiff, name string) starlark.Value {
	if d == nil {
		return starlark.Tuple{}
	}
	switch name {
	case "added":
		return stringTuple(d.Added)
	case "removed":
		return stringTuple(d.Removed)
	}
	return stringTuple(d.Changed)
}

// startField is a field of lifecycle:start.
func startField(info *engine.RunInfo, name string) starlark.Value {
	var i engine.RunInfo
	if info != nil {
		i = *info
	}
	switch name {
	case "version":
		return starlark.String(i.Version)
	case "ovrfile":
		return starlark.String(i.Ovrfile)
	case "mode":
		return starlark.String(i.Mode)
	}
	return starlark.String(i.Root)
}

func optString(s string) starlark.Value {
	if s == "" {
		return starlark.None
	}
	return starlark.String(s)
}

func optInt(p *int) starlark.Value {
	if p == nil {
		return starlark.None
	}
	return starlark.MakeInt(*p)
}

func stringTuple(list []string) starlark.Tuple {
	t := make(starlark.Tuple, len(list))
	for i, s := range list {
		t[i] = starlark.String(s)
	}
	return t
}
