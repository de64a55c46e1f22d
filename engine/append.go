package engine

import "time"

// AppendTime appends t as RFC 3339 in UTC with milliseconds
// (2026-11-25T17:40:48.123Z), the time format of every event, without
// allocating.
func AppendTime(dst []byte, t time.Time) []byte { return appendTime(dst, t) }

// AppendJSONString appends s as a JSON string as events are written:
// control characters escaped, invalid UTF-8 as U+FFFD.
func AppendJSONString(dst []byte, s string) []byte { return appendString(dst, s) }
