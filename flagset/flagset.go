// Package flagset matches log lines against named flags (RE2 patterns),
// counts matches, collects context windows and reports when a flag's count
// goes above its target.
//
// A Set is owned by one goroutine at a time (the caller serialises Feed,
// Expire, Flush and Counts); it starts no goroutines.
package flagset

import "time"

// Color is a flag's display colour.
type Color uint8

const (
	Yellow Color = iota // the default
	Green
	Red
	Blue
	Purple
	Orange
	Teal
)

// ParseColor maps "green", "red", ... to a Color; unknown names are an error
// that lists the valid ones.
func ParseColor(name string) (Color, error) { panic("unimplemented") }

// String returns the colour's name.
func (c Color) String() string { panic("unimplemented") }

// NoTarget marks a flag without a target.
const NoTarget = -1

// Flag declares one flag.
type Flag struct {
	Name    string
	Pattern string // RE2
	Color   Color
	Context int // lines before and after a match
	Target  int // NoTarget, or the count above which the flag is exceeded
}

// Kind says what a Hit reports.
type Kind uint8

const (
	Matched  Kind = iota // a match whose context window is complete
	Exceeded             // the count just went above the target (once per Set)
)

// Hit is a completed match or an exceeded transition.
type Hit struct {
	Kind    Kind
	Flag    string
	Color   Color
	Line    string    // the matched line (Matched)
	Time    time.Time // when the matched line arrived
	Count   int       // the flag's count including this match
	Target  int       // NoTarget or the target
	Context []string  // before lines, the matched line, after lines, in order
}

// Set is a compiled list of flags for one process.
type Set struct{}

// Compile compiles flags; every bad pattern is reported, joined.
func Compile(flags []Flag) (*Set, error) { panic("unimplemented") }

// Feed tests one line (ANSI colour codes ignored) and appends to dst the hits
// that became complete, in order: windows whose after-context this line
// completed, and an Exceeded hit when this line pushed a count over target.
func (s *Set) Feed(dst []Hit, line string, now time.Time) []Hit { panic("unimplemented") }

// Deadline reports when the oldest open window closes for lack of new lines
// (1 s after the last line); ok is false when no window is open.
func (s *Set) Deadline() (t time.Time, ok bool) { panic("unimplemented") }

// Expire closes the windows whose deadline is at or before now.
func (s *Set) Expire(dst []Hit, now time.Time) []Hit { panic("unimplemented") }

// Flush closes every open window (the process exited). Counts are kept.
func (s *Set) Flush(dst []Hit) []Hit { panic("unimplemented") }

// Counts returns every declared flag name with its count.
func (s *Set) Counts() map[string]int { panic("unimplemented") }
