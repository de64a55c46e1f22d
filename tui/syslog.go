package tui

import (
	"bytes"
	"strings"

	"github.com/ovrseer/ovrseer/engine"
)

// sysName is the name of ovrseer's own entry, first in the process list.
const sysName = "ovrseer"

// sysLog renders ovrseer's own lines for the `ovrseer` entry with the
// headless printer's formatter, so the entry holds exactly the lines the
// headless output prints as `ovrseer | ...` (phases, readiness, crashes
// with their report path, flag matches, errors, the summary), without the
// prefix. It runs on the drain goroutine.
type sysLog struct {
	h   *Headless
	buf bytes.Buffer
}

func newSysLog(e Engine) *sysLog {
	s := &sysLog{}
	opts := HeadlessOptions{Color: true}
	if e != nil {
		for _, p := range e.Snapshot() {
			opts.Names = append(opts.Names, p.Name)
		}
		opts.Snapshot = e.Snapshot
	}
	s.h = NewHeadless(&s.buf, opts)
	s.h.sys = nil // the entry is ovrseer's: no "ovrseer | " prefix
	return s
}

// format appends the lines headless prints for ev (one of ovrseer's own
// events, not process:log) to dst; lifecycle:exit brings the summary.
func (s *sysLog) format(ev *engine.Event, dst []string) []string {
	s.h.event(ev)
	if ev.Type == engine.LifecycleExit {
		s.h.Summary()
	}
	s.h.Flush()
	if s.buf.Len() == 0 {
		return dst
	}
	text := strings.TrimSuffix(s.buf.String(), "\n")
	s.buf.Reset()
	return append(dst, strings.Split(text, "\n")...)
}

// startFailed reports whether a shutdown reason means the stack never
// came up (a dependency failed, the dependencies-ready gate failed).
func startFailed(reason string) bool {
	return strings.HasPrefix(reason, "startup aborted") || strings.HasPrefix(reason, "dependencies-ready gate failed")
}
