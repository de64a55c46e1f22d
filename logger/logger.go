package logger

import "time"

// MaxLine is the longest line kept; longer lines are cut there and marked
// with CutMarker, and the rest is skipped up to the next newline.
const MaxLine = 64 << 10

// CutMarker is appended to the first MaxLine bytes of a line that was cut.
const CutMarker = "…(cut)"

// Stream names which pipe a line came from.
type Stream uint8

const (
	Stdout Stream = iota
	Stderr
)

// String returns "stdout" or "stderr".
func (s Stream) String() string { panic("unimplemented") }

// Line is one line of a process's output. Text holds the bytes as they came
// (without the newline and a trailing \r), possibly cut and marked.
type Line struct {
	Time   time.Time
	Stream Stream
	Text   string
}

// Splitter turns a byte stream into lines.
type Splitter struct{}

// NewSplitter returns a splitter that calls emit once per complete line, in
// order. The slice passed to emit is only valid during the call.
func NewSplitter(emit func(line []byte)) *Splitter { panic("unimplemented") }

// Write splits p into lines; it never fails and never keeps more than MaxLine
// bytes of a partial line.
func (s *Splitter) Write(p []byte) (int, error) { panic("unimplemented") }

// Flush emits a final partial line (one without a newline), if any.
func (s *Splitter) Flush() { panic("unimplemented") }

// Ring keeps the most recent lines.
type Ring struct{}

// NewRing returns a ring keeping the last n lines (n < 1 means 1).
func NewRing(n int) *Ring { panic("unimplemented") }

// Append adds a line, overwriting the oldest when full. O(1).
func (r *Ring) Append(l Line) { panic("unimplemented") }

// Last returns up to n of the most recent lines, oldest first, in a new slice.
func (r *Ring) Last(n int) []Line { panic("unimplemented") }

// Len reports how many lines the ring holds.
func (r *Ring) Len() int { panic("unimplemented") }
