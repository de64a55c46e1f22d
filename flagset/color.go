package flagset

import (
	"fmt"
	"strings"
)

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

var colorNames = [...]string{
	Yellow: "yellow",
	Green:  "green",
	Red:    "red",
	Blue:   "blue",
	Purple: "purple",
	Orange: "orange",
	Teal:   "teal",
}

// ParseColor maps "green", "red", ... to a Color; unknown names are an error
// that lists the valid ones.
func ParseColor(name string) (Color, error) {
	for c, n := range colorNames {
		if n == name {
			return Color(c), nil
		}
	}
	return 0, fmt.Errorf("unknown colour %q (valid: %s)", name, strings.Join(colorNames[:], ", "))
}

// String returns the colour's name.
func (c Color) String() string {
	if int(c) < len(colorNames) {
		return colorNames[c]
	}
	return fmt.Sprintf("color(%d)", uint8(c))
}
