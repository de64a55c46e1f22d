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
func (s Stream) String() string {
	switch s {
	case Stdout:
		return "stdout"
	case Stderr:
		return "stderr"
	}
	return "stream(" + itoa(int(s)) + ")"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}

// Line is one line of a process's output. Text holds the bytes as they came
// (without the newline and a trailing \r), possibly cut and marked.
type Line struct {
	Time   time.Time
	Stream Stream
	Text   string
}
