package crashrep

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// fileTimeLayout is the timestamp in a report's file name.
const fileTimeLayout = "20060102T150405.000Z"

// maxNameLen caps the sanitised process name so that the whole file name,
// with timestamp, collision suffix and extension, stays far below the usual
// 255-byte limit.
const maxNameLen = 128

// safeName reduces a process name to [A-Za-z0-9._-]: each run of other bytes
// becomes one '_', leading dots are dropped and the result is capped at
// maxNameLen. When anything changed, '-' and 8 hex digits of an FNV-1a hash of
// the original are appended, so names that differ only in what was replaced
// never share a file name. An empty result becomes "process".
func safeName(name string) string {
	var b strings.Builder
	inRun := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if allowed(c) {
			b.WriteByte(c)
			inRun = false
		} else if !inRun {
			b.WriteByte('_')
			inRun = true
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if len(s) > maxNameLen {
		s = s[:maxNameLen]
	}
	if s == name && s != "" {
		return s
	}
	if s == "" {
		s = "process"
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return fmt.Sprintf("%s-%08x", s, h.Sum32())
}

func allowed(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == '-'
}

// fileName is the name of the n-th report of a process at t (n from 1; the
// first has no suffix).
func fileName(safe string, t time.Time, n int) string {
	ts := t.UTC().Format(fileTimeLayout)
	if n <= 1 {
		return safe + "-" + ts + ".json"
	}
	return fmt.Sprintf("%s-%s-%d.json", safe, ts, n)
}
