package engine

import (
	"strings"
	"time"
)

// Type is an event type name (docs/events.md).
type Type string

const (
	ProcessSpawn   Type = "process:spawn"
	ProcessReady   Type = "process:ready"
	ProcessExit    Type = "process:exit"
	ProcessCrash   Type = "process:crash"
	ProcessRestart Type = "process:restart"
	ProcessFailed  Type = "process:failed"
	// ProcessUnhealthy: the health check failed Count times in a row; Reason
	// is the check, Error its last failure (JSON: check, failures, error).
	ProcessUnhealthy Type = "process:unhealthy"
	ProcessLog       Type = "process:log"
	FlagMatched      Type = "flag:matched"
	FlagExceeded     Type = "flag:exceeded"

	LifecycleStart    Type = "lifecycle:start" // always the first event of a run
	DependenciesReady Type = "lifecycle:dependencies-ready"
	MainStarted       Type = "lifecycle:main-started"
	MainReady         Type = "lifecycle:main-ready"
	Shutdown          Type = "lifecycle:shutdown"
	MainStopped       Type = "lifecycle:main-stopped"
	CleanupStarted    Type = "lifecycle:cleanup-started"
	CleanupComplete   Type = "lifecycle:cleanup-complete"
	LifecycleError    Type = "lifecycle:error"
	LifecycleReload   Type = "lifecycle:reload" // a reload was applied: Added, Removed, Changed
	LifecycleExit     Type = "lifecycle:exit"

	// EventsDropped is delivered to a subscriber in place of the log events
	// it lost by falling behind; Count says how many.
	EventsDropped Type = "events:dropped"
)

// Types lists every event type of docs/events.md, in the table's order.
var Types = []Type{
	ProcessSpawn, ProcessReady, ProcessExit, ProcessCrash, ProcessRestart, ProcessFailed, ProcessUnhealthy, ProcessLog,
	FlagMatched, FlagExceeded,
	LifecycleStart, DependenciesReady, MainStarted, MainReady, Shutdown, MainStopped, CleanupStarted, CleanupComplete,
	LifecycleError, LifecycleReload, LifecycleExit,
}

// IsLifecycle reports whether t is one of the lifecycle:* types.
func (t Type) IsLifecycle() bool { return strings.HasPrefix(string(t), "lifecycle:") }

// Event is one event. Only the fields docs/events.md lists for its Type are
// meaningful; MarshalJSON writes exactly those (snake_case).
type Event struct {
	Type    Type
	Time    time.Time
	Process string
	Group   Group
	State   string // process:* but process:log: the process's state after the event

	Pid         int
	Attempt     int
	DurationMs  int64
	ExitCode    *int   // nil when killed by a signal
	Signal      string // "SIGKILL" or "" (null)
	Reason      string
	Restarts    int
	WillRestart bool
	Report      string
	DelayMs     int64
	Stream      string // "stdout" or "stderr"
	Line        string
	Flag        string
	Color       string // the flag's colour name (flag events)
	Count       int
	Target      *int // nil: the flag has no target
	Context     []string
	Phase       string
	Error       string
	Failed      []string
	Reload      *ReloadDiff // lifecycle:reload: added, removed, changed
	Start       *RunInfo    // lifecycle:start: version, ovrfile, mode, root (pid is Pid)
}

// fields lists the extra fields of each event type (docs/events.md), by their JSON
// names. AppendJSON writes exactly these (a test holds them together).
var fields = map[Type][]string{
	ProcessSpawn:      {"state", "pid", "attempt"},
	ProcessReady:      {"state", "pid", "duration_ms"},
	ProcessExit:       {"state", "pid", "exit_code", "signal", "duration_ms"},
	ProcessCrash:      {"state", "exit_code", "signal", "reason", "restarts", "will_restart", "report"},
	ProcessRestart:    {"state", "attempt", "delay_ms", "reason"},
	ProcessFailed:     {"state", "reason"},
	ProcessUnhealthy:  {"state", "pid", "check", "failures", "error"},
	ProcessLog:        {"stream", "line"},
	FlagMatched:       {"flag", "color", "line", "count", "target", "context"},
	FlagExceeded:      {"flag", "color", "count", "target"},
	LifecycleStart:    {"version", "pid", "ovrfile", "mode", "root"},
	DependenciesReady: {"duration_ms"},
	MainReady:         {"duration_ms"},
	Shutdown:          {"reason"},
	CleanupComplete:   {"failed"},
	LifecycleError:    {"phase", "error"},
	LifecycleReload:   {"added", "removed", "changed"},
	LifecycleExit:     {"exit_code"},
	EventsDropped:     {"count"},
}

// AllFields is every extra field name any event type has.
var AllFields = []string{
	"state", "pid", "attempt", "duration_ms", "exit_code", "signal", "reason", "restarts", "will_restart",
	"report", "delay_ms", "stream", "line", "flag", "color", "count", "target", "context", "phase", "error", "failed",
	"version", "ovrfile", "mode", "root", "check", "failures", "added", "removed", "changed",
}

// Fields returns the extra fields of events of type t (docs/events.md), by their
// JSON names, beyond type, time, process and group. Do not modify the slice.
func (t Type) Fields() []string { return fields[t] }

// hasState reports whether events of type t carry the process's state:
// every process:* type but process:log.
func (t Type) hasState() bool {
	return t != ProcessLog && strings.HasPrefix(string(t), "process:")
}
