package starlib

import (
	"fmt"
	"regexp"
	"time"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/unit"
)

// The limits an Ovrfile is held to; docs/ovrfile.md "Limits" lists them
// with the error each gives.
const (
	maxNameLen  = 64                   // bytes of a process, flag or hook name
	maxFileSize = 1 << 20              // bytes of one loaded file
	maxGlob     = 100_000              // paths ctx.glob returns at most
	maxCount    = 1_000_000            // ready.log(count)
	maxSettings = 365 * 24 * time.Hour // settings(timeout)
)

// nameRE is the form of process, flag and hook names: they appear at the
// start of output lines, so they cannot carry spaces or control bytes.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// checkName reports why name cannot name a process, flag or hook.
func checkName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty name")
	case len(name) > maxNameLen:
		return fmt.Errorf("name %.20q... is %d bytes long, at most %d", name, len(name), maxNameLen)
	case !nameRE.MatchString(name):
		return fmt.Errorf("bad name %q: want letters, digits, '.', '_' and '-', starting with a letter or digit", name)
	case name == "ovrseer":
		return fmt.Errorf("the name %q is reserved", name)
	}
	return nil
}

// duration is a timeout: a Go duration string such as "30s" or "1m30s"
// within unit.TimeoutRange (1ms–24h).
type duration struct{ d time.Duration }

func (a *duration) Unpack(v starlark.Value) error {
	d, err := parseDuration(v, unit.TimeoutRange)
	a.d = d
	return err
}

// delayArg is a duration whose range includes 0s: "0s" means at once,
// never "the default" (an option left out keeps its default).
type delayArg struct {
	d      time.Duration
	within unit.Range
}

func (a *delayArg) Unpack(v starlark.Value) error {
	d, err := parseDuration(v, a.within)
	a.d = d
	return err
}

// parseDuration parses a duration string and checks it against r.
func parseDuration(v starlark.Value, r unit.Range) (time.Duration, error) {
	s, ok := starlark.AsString(v)
	if !ok {
		return 0, fmt.Errorf("got %s, want a duration string like \"30s\"", v.Type())
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q (want a form like \"30s\", \"1m30s\", \"250ms\")", s)
	}
	return d, r.Check(d)
}

// intIn reports an int option outside lo..hi.
func (c *call) intIn(option string, v, lo, hi int) {
	if v < lo || v > hi {
		c.errorf("%s: %d is out of range %s–%s", option, v, fmtCount(lo), fmtCount(hi))
	}
}

// fmtCount renders n with thousands separators: 1,000,000.
func fmtCount(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + fmtCount(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
