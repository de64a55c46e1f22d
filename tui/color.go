package tui

// ANSI SGR sequences. Colour is applied to name prefixes and to ovrseer's
// own lines only; child text is written as it came.
const (
	sgrReset = "\x1b[0m"
	sgrBold  = "\x1b[1m"
	sgrRed   = "\x1b[31m"
)

// processPalette gives each declared process its own colour, in
// declaration order. Red is left out: it means trouble.
var processPalette = []string{
	"\x1b[36m", // cyan
	"\x1b[33m", // yellow
	"\x1b[32m", // green
	"\x1b[35m", // magenta
	"\x1b[34m", // blue
	"\x1b[96m", // bright cyan
	"\x1b[93m", // bright yellow
	"\x1b[92m", // bright green
	"\x1b[95m", // bright magenta
	"\x1b[94m", // bright blue
}

// hookColor is used for the pseudo-processes "hook:NAME".
const hookColor = "\x1b[90m" // grey

// flagColors maps a flag's colour name (docs/ovrfile.md) to its SGR sequence.
var flagColors = map[string]string{
	"green":  "\x1b[32m",
	"red":    "\x1b[31m",
	"yellow": "\x1b[33m",
	"blue":   "\x1b[34m",
	"purple": "\x1b[35m",
	"orange": "\x1b[38;5;208m",
	"teal":   "\x1b[36m",
}
