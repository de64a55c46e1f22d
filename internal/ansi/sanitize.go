package ansi

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Safe reports whether s can be written to a terminal as it is: no control
// byte but tab, and valid UTF-8 without C1 controls (U+0080-U+009F). It does
// not allocate; AppendSafe of a Safe s appends s unchanged.
func Safe(s string) bool {
	if len(s) < 8 {
		return safeSlow(s)
	}
	// Eight bytes at a time, no branch per word; a control byte (a tab,
	// maybe) sends the line to the exact check, a byte of 0x80 or more to
	// the UTF-8 check.
	var ctrl, high uint64
	i := 0
	for ; i+16 <= len(s); i += 16 {
		x, y := load64(s, i), load64(s, i+8)
		ctrl |= controls(x) | controls(y)
		high |= x | y
	}
	if i+8 <= len(s) {
		x := load64(s, i)
		ctrl |= controls(x)
		high |= x
	}
	x := load64(s, len(s)-8) // the last bytes, overlapping the words read
	ctrl |= controls(x)
	high |= x
	switch {
	case ctrl != 0:
		return safeSlow(s)
	case high&(lsb*0x80) != 0:
		return safeUTF8(s)
	}
	return true
}

// safeSlow is Safe byte by byte.
func safeSlow(s string) bool {
	var high byte
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x20 && b != '\t' || b == 0x7f {
			return false
		}
		high |= b
	}
	return high < 0x80 || safeUTF8(s)
}

const lsb = 0x0101010101010101

// load64 reads the eight bytes of s at i (i+8 <= len(s)) in one load.
func load64(s string, i int) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.StringData(s)), i))
}

// controls is non-zero exactly when a byte of x is a control byte (< 0x20
// or DEL).
func controls(x uint64) uint64 {
	return hasLess(x, 0x20) | hasLess(x^(lsb*0x7f), 1)
}

// hasLess is non-zero when a byte of x is below n (n <= 128).
func hasLess(x, n uint64) uint64 { return (x - lsb*n) &^ x & (lsb * 0x80) }

// safeUTF8 reports whether s is valid UTF-8 without C1 controls (encoded
// as 0xC2 0x80-0x9F).
func safeUTF8(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for {
		i := strings.IndexByte(s, 0xc2)
		if i < 0 {
			return true
		}
		if s[i+1] < 0xa0 { // valid UTF-8: a continuation byte follows
			return false
		}
		s = s[i+2:]
	}
}

// AppendSafe appends s to dst made safe for a terminal: its Final part
// with SGR sequences (colours) and tabs kept, charset designations dropped,
// and every other escape sequence, control byte, C1 control and invalid
// UTF-8 byte written as a visible escape: ESC ] 0 ; t BEL becomes the text
// `\x1b]0;t\x07`. Printable text is kept as it is.
func AppendSafe(dst []byte, s string) []byte {
	s = Final(s)
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] < 0x7f { // printable ASCII
			j++
		}
		dst = append(dst, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		switch b := s[i]; {
		case b == esc:
			k, n := escape(s[i:])
			switch k {
			case SGR:
				dst = append(dst, s[i:i+n]...)
			case Charset: // dropped: a designation shows nothing
			default:
				dst = appendVisible(dst, s[i:i+n])
			}
			i += n
		case b == '\t':
			dst = append(dst, b)
			i++
		case b == '\r': // a trailing CR (Final): it moves nothing
			i++
		case b >= 0x80:
			n := runeLen(s[i:])
			dst = appendVisible(dst, s[i:i+n])
			i += n
		default:
			dst = appendHex(dst, b)
			i++
		}
	}
	return dst
}

// runeLen is the length of the UTF-8 sequence (or the invalid byte) at the
// start of s.
func runeLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return n
}

const hexDigits = "0123456789abcdef"

// appendVisible appends tok with every byte that is not printable text
// written as \xNN.
func appendVisible(dst []byte, tok string) []byte {
	for i := 0; i < len(tok); {
		b := tok[i]
		if b >= 0x20 && b < 0x7f { // a run of printable ASCII
			j := i + 1
			for j < len(tok) && tok[j] >= 0x20 && tok[j] < 0x7f {
				j++
			}
			dst = append(dst, tok[i:j]...)
			i = j
			continue
		}
		if b >= 0x80 {
			r, n := utf8.DecodeRuneInString(tok[i:])
			if (r != utf8.RuneError || n > 1) && r >= 0xa0 {
				dst = append(dst, tok[i:i+n]...)
				i += n
				continue
			}
			for _, c := range []byte(tok[i : i+n]) {
				dst = appendHex(dst, c)
			}
			i += n
			continue
		}
		if isControl(b) {
			dst = appendHex(dst, b)
		} else {
			dst = append(dst, b)
		}
		i++
	}
	return dst
}

func appendHex(dst []byte, b byte) []byte {
	return append(dst, '\\', 'x', hexDigits[b>>4], hexDigits[b&0xf])
}
