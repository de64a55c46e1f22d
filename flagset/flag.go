package flagset

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// NoTarget marks a flag without a target.
const NoTarget = -1

// MaxContext is the largest context a flag may ask for.
const MaxContext = 1000

// Flag declares one flag.
type Flag struct {
	Name    string
	Pattern string // RE2
	Color   Color
	Context int // lines before and after a match, 0..MaxContext
	Target  int // NoTarget, or the count above which the flag is exceeded
}

// Kind says what a Hit reports.
type Kind uint8

const (
	Matched  Kind = iota // a match whose context window is complete
	Exceeded             // the count just went above the target (once per Set)
)

// String returns "matched" or "exceeded".
func (k Kind) String() string {
	switch k {
	case Matched:
		return "matched"
	case Exceeded:
		return "exceeded"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Hit is a completed match or an exceeded transition.
type Hit struct {
	Kind    Kind
	Flag    string
	Color   Color
	Line    string    // the matched line (Matched); the line that went over target (Exceeded)
	Time    time.Time // when that line arrived
	Count   int       // the flag's count including this match
	Target  int       // NoTarget or the target
	Context []string  // before lines, the matched line, after lines, in order (Matched)
}

// compiled is a Flag ready to test lines.
type compiled struct {
	Flag
	re  *regexp.Regexp
	pre prefilter
}

// Compile compiles flags; every bad pattern (and bad name, context or
// target) is reported, joined, each error naming its flag.
func Compile(flags []Flag) (*Set, error) {
	var errs []error
	seen := make(map[string]bool, len(flags))
	s := &Set{flags: make([]compiled, 0, len(flags)), counts: make([]int, len(flags))}
	for _, f := range flags {
		c, err := compile(f)
		if err == nil && seen[f.Name] {
			err = errors.New("declared twice")
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("flag %q: %w", f.Name, err))
			continue
		}
		seen[f.Name] = true
		s.flags = append(s.flags, c)
		s.before.size = max(s.before.size, f.Context)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	s.before.lines = make([]string, s.before.size)
	return s, nil
}

func compile(f Flag) (compiled, error) {
	switch {
	case f.Name == "":
		return compiled{}, errors.New("empty name")
	case f.Context < 0 || f.Context > MaxContext:
		return compiled{}, fmt.Errorf("context %d out of range 0..%d", f.Context, MaxContext)
	case f.Target < NoTarget:
		return compiled{}, fmt.Errorf("negative target %d", f.Target)
	}
	re, err := regexp.Compile(f.Pattern)
	if err != nil {
		return compiled{}, fmt.Errorf("pattern %q: %w", f.Pattern, err)
	}
	return compiled{Flag: f, re: re, pre: newPrefilter(f.Pattern)}, nil
}

// match reports whether the flag matches line.
func (c *compiled) match(line string) bool {
	if !c.pre.maybe(line) {
		return false
	}
	return c.pre.exact || c.re.MatchString(line)
}
