// Package crashrep defines the crash report of a supervised process and the
// sinks that store it. A Dir is safe for concurrent use.
package crashrep

import "time"

// Report is one crash (SPEC §6). ExitCode is nil when the process died by a
// signal; Signal is nil otherwise.
type Report struct {
	ProcessName string         `json:"processName"`
	Group       string         `json:"group"`
	Command     string         `json:"command"`
	Args        []string       `json:"args"`
	Pid         int            `json:"pid"`
	ExitCode    *int           `json:"exitCode"`
	Signal      *string        `json:"signal"`
	Reason      string         `json:"reason"`
	Timestamp   time.Time      `json:"timestamp"` // marshalled as RFC 3339 UTC with milliseconds
	UptimeMs    int64          `json:"uptimeMs"`
	Restarts    int            `json:"restarts"`
	WillRestart bool           `json:"willRestart"`
	Flags       map[string]int `json:"flags"`
	LastLogs    []string       `json:"lastLogs"`
}

// Sink stores reports. Write returns where the report went (a path for Dir).
type Sink interface {
	Write(r *Report) (string, error)
}

// Dir writes each report atomically as {Path}/{name}-{timestamp}.json.
type Dir struct {
	Path string
}

// Write implements Sink.
func (d Dir) Write(r *Report) (string, error) { panic("unimplemented") }
