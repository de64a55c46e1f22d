package control

import (
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// Process is one process as GET /v1/processes shows it (docs/api.md).
type Process struct {
	Name     string         `json:"name"`
	Group    string         `json:"group"`
	State    string         `json:"state"`
	Pid      int            `json:"pid"`
	UptimeS  float64        `json:"uptime_s"` // since the state was entered, while running; else 0
	Restarts int            `json:"restarts"`
	ExitCode *int           `json:"exit_code"` // of the last exit; null when none or killed by a signal
	Signal   *string        `json:"signal"`    // "SIGKILL" when the last exit was by a signal, else null
	Flags    map[string]int `json:"flags"`
	Since    time.Time      `json:"since"`     // when the state was entered
	Stdin    bool           `json:"stdin"`     // send can write to it
	LogLines int            `json:"log_lines"` // the size of its log ring
}

// Status is GET /v1/status.
type Status struct {
	Pid     int       `json:"pid"`
	Version string    `json:"version"`
	Phase   string    `json:"phase"`
	Started time.Time `json:"started"`
	Ovrfile string    `json:"ovrfile"`
	Mode    string    `json:"mode"`
}

// LogLine is one line of GET /v1/processes/NAME/logs. A follower that fell
// behind gets {"dropped": N} in place of the lines it lost.
type LogLine struct {
	Time    time.Time `json:"time,omitzero"`
	Stream  string    `json:"stream,omitempty"`
	Line    string    `json:"line"`
	Dropped int       `json:"dropped,omitempty"`
}

// apiError is every error answer: {"error": "..."}.
type apiError struct {
	Error string `json:"error"`
}

// reloadResult is POST /v1/reload.
type reloadResult struct {
	Errors []string `json:"errors"`
}

// processOf converts a snapshot.
func processOf(ps engine.ProcessStatus, now time.Time) Process {
	st := ps.Status
	p := Process{Name: ps.Name, Group: string(ps.Group), State: st.State.String(), Pid: st.Pid,
		Restarts: st.Restarts, Flags: st.Flags, Since: st.Since, Stdin: ps.Stdin, LogLines: ps.LogLines}
	if p.Flags == nil {
		p.Flags = map[string]int{}
	}
	if st.State == unit.StateStarting || st.State == unit.StateReady {
		p.UptimeS = now.Sub(st.Since).Round(time.Millisecond).Seconds()
	}
	if st.Exited {
		p.ExitCode, p.Signal = unit.ExitFields(st.ExitCode, st.Signal)
	}
	return p
}

// statusOf converts a Process back into what the UI reads.
func statusOf(p Process) engine.ProcessStatus {
	st := unit.Status{State: parseState(p.State), Pid: p.Pid, Restarts: p.Restarts, Since: p.Since, Flags: p.Flags}
	switch {
	case p.ExitCode != nil:
		st.Exited, st.ExitCode = true, *p.ExitCode
	case p.Signal != nil:
		st.Exited, st.Signal = true, signalNumber(*p.Signal)
	}
	return engine.ProcessStatus{Name: p.Name, Group: engine.Group(p.Group), Status: st, Stdin: p.Stdin, LogLines: p.LogLines}
}

// parseState is the inverse of unit.State.String.
func parseState(s string) unit.State {
	for st := unit.StatePending; st <= unit.StateFailed; st++ {
		if st.String() == s {
			return st
		}
	}
	return unit.StatePending
}

// signalNumber is the inverse of unit.SignalName (0 when unknown).
func signalNumber(name string) syscall.Signal {
	if sig := unix.SignalNum(name); sig != 0 {
		return sig
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(name, "signal "))
	return syscall.Signal(n)
}
