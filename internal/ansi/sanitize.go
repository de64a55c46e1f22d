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
	var high uint64
	i := 0
	for ; i+16 <= len(s); i += 16 { // sixteen bytes at a time
		x, y := load64(s, i), load64(s, i+8)
		high |= x | y
		if controls(x)|controls(y) != 0 && !safeASCII(s[i:i+16]) {
			return false
		}
	}
	if !safeASCII(s[i:]) {
		return false
	}
	for ; i < len(s); i++ {
		high |= uint64(s[i])
	}
	return high&(lsb*0x80) == 0 || safeUTF8(s)
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

// safeASCII reports whether s has no control byte but tab.
func safeASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

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
	for len(s) > 0 {
		k, n := Next(s)
		tok := s[:n]
		s = s[n:]
		switch {
		case k == SGR || k == Control && tok[0] == '\t':
			dst = append(dst, tok...)
		case k == Charset || k == Control && tok[0] == '\r':
			// dropped: a designation shows nothing; a trailing CR moves nothing
		default:
			dst = appendVisible(dst, tok)
		}
	}
	return dst
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
