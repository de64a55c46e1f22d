package logfile

import (
	"fmt"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// Format is how a log file's lines are written (docs/ovrfile.md).
type Format uint8

const (
	// Text is "2026-12-04T04:32:53.933Z stdout text": the time, the stream
	// and the line's bytes as they came.
	Text Format = iota
	// JSON is one object per line: {"time", "process", "stream", "line"},
	// valid JSON whatever the bytes (invalid UTF-8 becomes U+FFFD).
	JSON
)

// ParseFormat returns the Format named "text" or "json".
func ParseFormat(s string) (Format, error) {
	switch s {
	case "text":
		return Text, nil
	case "json":
		return JSON, nil
	}
	return Text, fmt.Errorf("log_format %q: want \"text\" or \"json\"", s)
}

func (f Format) String() string {
	if f == JSON {
		return "json"
	}
	return "text"
}

// appendLine appends one line of a log file. label is the text format's
// second field: the stream in a process's file, the source in ovrseer.log
// ("ovrseer" or "hook:NAME").
func (f Format) appendLine(dst []byte, ts *stamp, ev *engine.Event, process, stream, label, line string) []byte {
	if f == JSON {
		dst = append(dst, `{"time":"`...)
		dst = append(dst, ts.of(ev.Time)...)
		dst = append(dst, `","process":`...)
		dst = engine.AppendJSONString(dst, process)
		dst = append(dst, `,"stream":`...)
		dst = engine.AppendJSONString(dst, stream)
		dst = append(dst, `,"line":`...)
		dst = engine.AppendJSONString(dst, line)
		return append(dst, '}', '\n')
	}
	dst = append(dst, ts.of(ev.Time)...)
	dst = append(dst, ' ')
	dst = append(dst, label...)
	dst = append(dst, ' ')
	dst = append(dst, line...)
	return append(dst, '\n')
}

// stamp caches the text of the last millisecond written: lines of a flood
// share it, and formatting a time costs more than the rest of a line.
type stamp struct {
	ms   int64
	text []byte
}

func (s *stamp) of(t time.Time) []byte {
	if ms := t.UnixMilli(); ms != s.ms || s.text == nil {
		s.ms, s.text = ms, engine.AppendTime(s.text[:0], t)
	}
	return s.text
}
