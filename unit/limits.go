package unit

import (
	"fmt"
	"strings"
	"time"
)

// The defaults of the Ovrfile options (docs/ovrfile.md), in one table used
// by starlib (what an option left out means), by New (what a zero field
// means, for the fields where zero is not a legal value) and by `check`
// (which prints the Spec as it will run). A zero StopTimeout, Backoff or
// MaxBackoff is taken literally: at once.
const (
	DefaultMaxRestarts  = 3
	DefaultBackoff      = time.Second
	DefaultMaxBackoff   = 30 * time.Second
	DefaultStopTimeout  = 10 * time.Second
	DefaultLogLines     = 1000
	DefaultStableAfter  = 10 * time.Second
	DefaultCheckTimeout = 60 * time.Second // every check but ready.exit
	DefaultExitTimeout  = 10 * time.Minute // ready.exit
)

// Range is an inclusive interval of durations a value must lie in.
type Range struct{ Min, Max time.Duration }

// The ranges of the duration options; a value outside is a load error.
var (
	StopRange    = Range{0, time.Hour}                     // stop_timeout
	BackoffRange = Range{0, time.Hour}                     // backoff, max_backoff
	TimeoutRange = Range{time.Millisecond, 24 * time.Hour} // readiness, hook, ctx.sh and ctx.* timeouts
)

// Upper bounds of the count options.
const (
	MaxMaxRestarts = 1_000_000 // max_restarts: 0..1,000,000
	MaxLogLines    = 1_000_000 // log_lines: 1..1,000,000
)

// Check reports d outside r, naming the range.
func (r Range) Check(d time.Duration) error {
	if d < r.Min || d > r.Max {
		return fmt.Errorf("%s is out of range %s", FormatDuration(d), r)
	}
	return nil
}

// String renders r as "1ms–24h".
func (r Range) String() string { return FormatDuration(r.Min) + "–" + FormatDuration(r.Max) }

// FormatDuration renders d as an Ovrfile would write it: "1m" not "1m0s",
// "1m30s" for 90 s. It is the one way a duration is written: in check, in
// errors and in the output.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
