// Package ansitest holds the tricky lines every reader of child output
// must see alike: flag and readiness matching, the TUI and the headless
// output test their own path against Cases.
package ansitest

// Case is one line of child output and how it reads.
type Case struct {
	Name string
	In   string
	// Visible is the text a terminal shows, what patterns match.
	Visible string
	// Safe is the line as the headless output writes it.
	Safe string
}

// Cases is the table. No case has a tab (the TUI expands tabs).
var Cases = []Case{
	{"plain", "ready", "ready", "ready"},
	{"utf8", "café ✓ ready", "café ✓ ready", "café ✓ ready"},
	{"sgr", "\x1b[32mready\x1b[0m", "ready", "\x1b[32mready\x1b[0m"},
	{"tput sgr0", "\x1b(B\x1b[mready", "ready", "\x1b[mready"},
	{"charset G1", "\x1b)0ready", "ready", "ready"},
	{"charset multibyte", "\x1b$(Bready", "ready", "ready"},
	{"sgr 256 and truecolor", "\x1b[38;5;196mre\x1b[48;2;1;2;3mady", "ready", "\x1b[38;5;196mre\x1b[48;2;1;2;3mady"},
	{"sgr colon form", "\x1b[4:3mready", "ready", "\x1b[4:3mready"},
	{"osc 52 bel", "\x1b]52;c;aGk=\x07ready", "ready", `\x1b]52;c;aGk=\x07` + "ready"},
	{"osc 0 st", "\x1b]0;title\x1b\\ready", "ready", `\x1b]0;title\x1b\` + "ready"},
	{"osc 8 link", "\x1b]8;;http://x\x1b\\ready\x1b]8;;\x1b\\", "ready", `\x1b]8;;http://x\x1b\ready\x1b]8;;\x1b\`},
	{"osc cut by csi", "\x1b]0;t\x1b[31mready", "ready", `\x1b]0;t` + "\x1b[31mready"},
	{"osc unterminated", "ready\x1b]0;title", "ready", `ready\x1b]0;title`},
	{"dcs", "\x1bPq#0\x1b\\ready", "ready", `\x1bPq#0\x1b\ready`},
	{"clear screen", "\x1b[2J\x1b[Hready", "ready", `\x1b[2J\x1b[Hready`},
	{"cursor up erase", "\x1b[1A\x1b[Kready", "ready", `\x1b[1A\x1b[Kready`},
	{"private mode", "\x1b[?1049hready", "ready", `\x1b[?1049hready`},
	{"private m is not sgr", "\x1b[>4;2mready", "ready", `\x1b[>4;2mready`},
	{"csi cut at end", "ready\x1b[31", "ready", `ready\x1b[31`},
	{"csi cut by control", "\x1b[3\x071mready", "1mready", `\x1b[3\x071mready`},
	{"reset", "\x1bcready", "ready", `\x1bcready`},
	{"save cursor", "\x1b7ready\x1b8", "ready", `\x1b7ready\x1b8`},
	{"decaln", "\x1b#8ready", "ready", `\x1b#8ready`},
	{"lone esc at end", "ready\x1b", "ready", `ready\x1b`},
	{"esc before control", "\x1b\x07ready", "ready", `\x1b\x07ready`},
	{"bell", "ready\x07", "ready", `ready\x07`},
	{"nul and del", "re\x00ad\x7fy", "ready", `re\x00ad\x7fy`},
	{"backspace", "x\x08ready", "xready", `x\x08ready`},
	{"carriage return", "10%\r50%\rready", "ready", "ready"},
	{"trailing carriage return", "ready\r", "ready", "ready"},
	{"carriage return then sgr", "old\r\x1b[32mready", "ready", "\x1b[32mready"},
	{"carriage return in osc", "\x1b]0;a\rb\x07ready", "ready", `\x1b]0;a\x0db\x07ready`},
	{"c1 csi", "\u009b2Jready", "\u009b2Jready", `\xc2\x9b2Jready`},
	{"invalid utf8", "re\xffady", "re\xffady", `re\xffady`},
	{"brackets", "[red]ready[-]", "[red]ready[-]", "[red]ready[-]"},
}
