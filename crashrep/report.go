package crashrep

import (
	"encoding/json"
	"time"
)

// TimeLayout is how a report's timestamp is written: RFC 3339 in UTC with
// milliseconds, e.g. "2026-11-25T17:40:48.123Z".
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Report is one crash (docs/crash-reports.md). ExitCode is nil when the process died by a
// signal; Signal is nil otherwise.
//
// In JSON, nil Args, Flags and LastLogs are written as [] and {} rather than
// null, and strings that are not valid UTF-8 have the bad bytes replaced by
// U+FFFD, so child output can never break a report.
type Report struct {
	ProcessName string   `json:"processName"`
	Group       string   `json:"group"`
	Command     string   `json:"command"`
	Args        []string `json:"args"`
	Pid         int      `json:"pid"` // 0 (null in JSON): nothing was spawned

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

// MarshalJSON writes the docs/crash-reports.md form of r.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report // the same fields without this method
	out := struct {
		plain
		Pid       *int   `json:"pid"`       // shadows plain.Pid
		Timestamp string `json:"timestamp"` // shadows plain.Timestamp
	}{plain: plain(r), Timestamp: r.Timestamp.UTC().Format(TimeLayout)}
	if r.Pid != 0 {
		out.Pid = &r.Pid
	}
	if out.Args == nil {
		out.Args = []string{}
	}
	if out.Flags == nil {
		out.Flags = map[string]int{}
	}
	if out.LastLogs == nil {
		out.LastLogs = []string{}
	}
	return json.Marshal(out)
}
