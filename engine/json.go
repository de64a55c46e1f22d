package engine

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// MarshalJSON writes the event as one JSON object with snake_case keys:
// type, time, process and group when set, and exactly the extra fields
// docs/events.md lists for its type. EventsDropped is {"type":"events:dropped","count":N}.
func (e Event) MarshalJSON() ([]byte, error) {
	return e.AppendJSON(make([]byte, 0, 128+len(e.Line))), nil
}

// AppendJSON appends the encoding of MarshalJSON to dst and returns it; a
// writer that reuses dst encodes without allocating.
func (e Event) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendString(dst, string(e.Type))
	if e.Type == EventsDropped {
		dst = appendInt(dst, "count", int64(e.Count))
		return append(dst, '}')
	}
	dst = append(dst, `,"time":"`...)
	dst = appendTime(dst, e.Time)
	dst = append(dst, '"')
	if e.Process != "" {
		dst = appendStr(dst, "process", e.Process)
	}
	if e.Group != "" {
		dst = appendStr(dst, "group", string(e.Group))
	}
	if e.Type.hasState() {
		dst = appendStr(dst, "state", e.State)
	}
	dst = e.appendFields(dst)
	return append(dst, '}')
}

// appendFields writes the extra fields of docs/events.md for e.Type.
func (e *Event) appendFields(dst []byte) []byte {
	switch e.Type {
	case ProcessSpawn:
		dst = appendInt(dst, "pid", int64(e.Pid))
		dst = appendInt(dst, "attempt", int64(e.Attempt))
	case ProcessReady:
		dst = appendInt(dst, "pid", int64(e.Pid))
		dst = appendInt(dst, "duration_ms", e.DurationMs)
	case ProcessExit:
		dst = appendInt(dst, "pid", int64(e.Pid))
		dst = appendIntPtr(dst, "exit_code", e.ExitCode)
		dst = appendStrOrNull(dst, "signal", e.Signal)
		dst = appendInt(dst, "duration_ms", e.DurationMs)
	case ProcessCrash:
		dst = appendIntPtr(dst, "exit_code", e.ExitCode)
		dst = appendStrOrNull(dst, "signal", e.Signal)
		dst = appendStr(dst, "reason", e.Reason)
		dst = appendInt(dst, "restarts", int64(e.Restarts))
		dst = append(dst, `,"will_restart":`...)
		dst = strconv.AppendBool(dst, e.WillRestart)
		dst = appendStrOrNull(dst, "report", e.Report)
	case ProcessRestart:
		dst = appendInt(dst, "attempt", int64(e.Attempt))
		dst = appendInt(dst, "delay_ms", e.DelayMs)
		dst = appendStr(dst, "reason", e.Reason)
	case ProcessFailed:
		dst = appendStr(dst, "reason", e.Reason)
	case ProcessUnhealthy:
		dst = appendInt(dst, "pid", int64(e.Pid))
		dst = appendStr(dst, "check", e.Reason)
		dst = appendInt(dst, "failures", int64(e.Count))
		dst = appendStr(dst, "error", e.Error)
	case ProcessLog:
		dst = appendStr(dst, "stream", e.Stream)
		dst = appendStr(dst, "line", e.Line)
	case FlagMatched:
		dst = appendStr(dst, "flag", e.Flag)
		dst = appendStr(dst, "color", e.Color)
		dst = appendStr(dst, "line", e.Line)
		dst = appendInt(dst, "count", int64(e.Count))
		dst = appendIntPtr(dst, "target", e.Target)
		dst = appendStrings(dst, "context", e.Context)
	case FlagExceeded:
		dst = appendStr(dst, "flag", e.Flag)
		dst = appendStr(dst, "color", e.Color)
		dst = appendInt(dst, "count", int64(e.Count))
		dst = appendIntPtr(dst, "target", e.Target)
	case LifecycleStart:
		var i RunInfo
		if e.Start != nil {
			i = *e.Start
		}
		dst = appendStr(dst, "version", i.Version)
		dst = appendInt(dst, "pid", int64(e.Pid))
		dst = appendStr(dst, "ovrfile", i.Ovrfile)
		dst = appendStr(dst, "mode", i.Mode)
		dst = appendStr(dst, "root", i.Root)
	case DependenciesReady, MainReady:
		dst = appendInt(dst, "duration_ms", e.DurationMs)
	case Shutdown:
		dst = appendStr(dst, "reason", e.Reason)
	case CleanupComplete:
		dst = appendStrings(dst, "failed", e.Failed)
	case LifecycleError:
		dst = appendStr(dst, "phase", e.Phase)
		dst = appendStr(dst, "error", e.Error)
	case LifecycleReload:
		var d ReloadDiff
		if e.Reload != nil {
			d = *e.Reload
		}
		dst = appendStrings(dst, "added", d.Added)
		dst = appendStrings(dst, "removed", d.Removed)
		dst = appendStrings(dst, "changed", d.Changed)
	case LifecycleExit:
		dst = appendIntPtr(dst, "exit_code", e.ExitCode)
	}
	return dst
}

// appendTime appends t as RFC 3339 in UTC with milliseconds
// (2026-11-25T17:40:48.123Z), several times faster than Time.AppendFormat.
func appendTime(dst []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 || year > 9999 {
		return t.AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
	}
	dst = appendDigits(dst, year, 4)
	dst = appendDigits(append(dst, '-'), int(month), 2)
	dst = appendDigits(append(dst, '-'), day, 2)
	dst = appendDigits(append(dst, 'T'), hour, 2)
	dst = appendDigits(append(dst, ':'), minute, 2)
	dst = appendDigits(append(dst, ':'), sec, 2)
	dst = appendDigits(append(dst, '.'), t.Nanosecond()/1e6, 3)
	return append(dst, 'Z')
}

// appendDigits appends v (>= 0) zero-padded to width digits.
func appendDigits(dst []byte, v, width int) []byte {
	var buf [4]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, buf[:width]...)
}

func appendKey(dst []byte, key string) []byte {
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	return append(dst, '"', ':')
}

func appendInt(dst []byte, key string, v int64) []byte {
	return strconv.AppendInt(appendKey(dst, key), v, 10)
}

func appendIntPtr(dst []byte, key string, v *int) []byte {
	if v == nil {
		return append(appendKey(dst, key), "null"...)
	}
	return appendInt(dst, key, int64(*v))
}

func appendStr(dst []byte, key, v string) []byte {
	return appendString(appendKey(dst, key), v)
}

func appendStrOrNull(dst []byte, key, v string) []byte {
	if v == "" {
		return append(appendKey(dst, key), "null"...)
	}
	return appendStr(dst, key, v)
}

func appendStrings(dst []byte, key string, vs []string) []byte {
	dst = append(appendKey(dst, key), '[')
	for i, v := range vs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, v)
	}
	return append(dst, ']')
}

const hexDigits = "0123456789abcdef"

// plain marks the ASCII bytes a JSON string holds as they are.
var plain = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// appendString appends s as a JSON string. Control characters are escaped,
// invalid UTF-8 becomes U+FFFD (as encoding/json does), and U+2028/U+2029
// are escaped so the output is also valid JavaScript.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if plain[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			dst = appendEscapedByte(dst, b)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\u202`...)
			dst = append(dst, hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendEscapedByte(dst []byte, b byte) []byte {
	switch b {
	case '"', '\\':
		return append(dst, '\\', b)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
}
