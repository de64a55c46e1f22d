package flagset

import (
	"strings"
	"unicode"
)

// literal is a string to look for in lines, optionally ignoring ASCII case.
// It searches for its rarest byte (by a rough table of how common bytes are
// in log text) and compares the whole literal only around those, which beats
// strings.Contains, whose scan for the first byte stops at every common
// letter.
type literal struct {
	s    string // lower case when fold
	fold bool
	rare int // index in s of the byte to search for
}

func newLiteral(s string, fold bool) literal {
	if fold {
		s = lowerASCII(s)
	}
	rare := 0
	for i := 1; i < len(s); i++ {
		if cost(s[i], fold) < cost(s[rare], fold) {
			rare = i
		}
	}
	return literal{s: s, fold: fold, rare: rare}
}

// cost ranks how often c appears in typical log lines (higher: more); a
// letter of a case-folded literal costs two searches.
func cost(c byte, fold bool) int {
	n := 4
	switch {
	case c == ' ':
		n = 10
	case strings.IndexByte("etaoinsrhldcu", c) >= 0:
		n = 9
	case '0' <= c && c <= '9':
		n = 8
	case 'a' <= c && c <= 'z':
		n = 7
	case strings.IndexByte(".:/-_=,[]", c) >= 0:
		n = 6
	case 'A' <= c && c <= 'Z':
		n = 5
	}
	if fold && isLetter(c) {
		n += 10
	}
	return n
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// foldsInASCII reports whether every case variant of every rune of s is
// ASCII, so that an ASCII case-insensitive search finds all that the regexp
// would match ('k' and 's' fail: they fold to the Kelvin sign and long s).
func foldsInASCII(s []rune) bool {
	for _, r := range s {
		if r >= 0x80 {
			return false
		}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f >= 0x80 {
				return false
			}
		}
	}
	return true
}

// in reports whether line contains l.
func (l *literal) in(line string) bool {
	c, k, n := l.s[l.rare], l.rare, len(l.s)
	if !l.fold || !isLetter(c) {
		for from := k; from < len(line); {
			j := strings.IndexByte(line[from:], c)
			if j < 0 {
				return false
			}
			if l.at(line, from+j-k) {
				return true
			}
			from += j + 1
		}
		return false
	}
	// Both cases of the letter c: next[0] and next[1] are where each next
	// occurs (relative to line), or -1.
	cs := [2]byte{c, c - 'a' + 'A'}
	next := [2]int{-2, -2} // -2: not searched yet
	for from := k; from+n-k <= len(line); {
		for i, ci := range cs {
			if next[i] != -1 && next[i] < from {
				next[i] = strings.IndexByte(line[from:], ci)
				if next[i] >= 0 {
					next[i] += from
				}
			}
		}
		j := minPos(next[0], next[1])
		if j < 0 {
			return false
		}
		if l.at(line, j-k) {
			return true
		}
		from = j + 1
	}
	return false
}

func minPos(a, b int) int {
	if a < 0 || b >= 0 && b < a {
		return b
	}
	return a
}

// at reports whether l occurs in line at start.
func (l *literal) at(line string, start int) bool {
	if start+len(l.s) > len(line) {
		return false
	}
	w := line[start : start+len(l.s)]
	if !l.fold {
		return w == l.s
	}
	for i := 0; i < len(w); i++ {
		b := w[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if b != l.s[i] {
			return false
		}
	}
	return true
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
