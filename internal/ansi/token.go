// Package ansi splits a line of terminal output into text, control bytes and
// escape sequences (ECMA-48 as xterm reads it). It is the one parser behind
// flag and readiness matching, the TUI's renderer and the escaping of the
// headless output, so all of them see the same text in the same bytes.
package ansi

// Kind is the kind of a token.
type Kind uint8

const (
	// Text is a run of bytes that are not control bytes: 0x20-0x7e and
	// 0x80-0xff (UTF-8, valid or not).
	Text Kind = iota
	// Control is one C0 control byte other than ESC (tab, CR, BEL, ...) or DEL.
	Control
	// SGR is a Select Graphic Rendition sequence, ESC [ digits ; : m:
	// colours and attributes.
	SGR
	// CSI is any other control sequence, ESC [ ... final byte (cursor
	// movement, erasing, modes), or one cut short by the end of the line or
	// a byte that cannot be part of it.
	CSI
	// String is a string command: OSC (ESC ]), DCS (ESC P), SOS (ESC X),
	// PM (ESC ^) or APC (ESC _), up to BEL or ST (ESC \) or the end of the
	// line.
	String
	// Charset is a character-set designation such as ESC ( B or ESC ) 0.
	Charset
	// Escape is any other escape: ESC 7, ESC c, ESC # 8, or an ESC that
	// starts nothing (at the end of the line, before a control byte).
	Escape
)

const esc = 0x1b

// Next returns the kind and the length (at least 1) of the token at the
// start of s, which must not be empty.
func Next(s string) (Kind, int) {
	b := s[0]
	if b == esc {
		return escape(s)
	}
	if isControl(b) {
		return Control, 1
	}
	i := 1
	for i < len(s) && !isControl(s[i]) {
		i++
	}
	return Text, i
}

func isControl(b byte) bool { return b < 0x20 || b == 0x7f }

// escape reads the escape sequence at the start of s (s[0] is ESC).
func escape(s string) (Kind, int) {
	if len(s) < 2 {
		return Escape, 1
	}
	switch c := s[1]; {
	case c == '[':
		return csi(s)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return String, stringEnd(s)
	case c >= 0x20 && c <= 0x2f:
		return nf(s)
	case c >= 0x30 && c <= 0x7e:
		return Escape, 2
	}
	return Escape, 1 // before a control byte, DEL or a non-ASCII byte
}

// csi reads ESC [, parameter bytes 0x30-0x3f, intermediate bytes 0x20-0x2f
// and a final byte 0x40-0x7e.
func csi(s string) (Kind, int) {
	sgr := true
	i := 2
	for ; i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f; i++ {
		if c := s[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
			sgr = false // private parameters: ESC [ ? 25 h, ESC [ > 4 m
		}
	}
	for ; i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f; i++ {
		sgr = false
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		if sgr && s[i] == 'm' {
			return SGR, i + 1
		}
		return CSI, i + 1
	}
	return CSI, i // cut short
}

// stringEnd returns the length of the string command at the start of s: up
// to BEL or ST, or up to (not including) an ESC that starts anything else,
// which ends the string as it does in a terminal.
func stringEnd(s string) int {
	for i := 2; i < len(s); i++ {
		switch s[i] {
		case 0x07:
			return i + 1
		case esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		}
	}
	return len(s)
}

// nf reads an escape with intermediate bytes: ESC, 0x20-0x2f..., a final
// byte 0x30-0x7e.
func nf(s string) (Kind, int) {
	i := 2
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i == len(s) || s[i] < 0x30 || s[i] > 0x7e {
		return Escape, i // cut short
	}
	switch s[1] {
	case '(', ')', '*', '+', '-', '.', '/', '$':
		return Charset, i + 1
	}
	return Escape, i + 1
}
