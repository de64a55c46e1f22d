package ansi

import "strings"

// Final returns what a terminal would show of s when s has carriage
// returns: the part after the last one that is followed by something
// (carriage returns inside a string command do not count). Without one it
// returns s.
func Final(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	start, cr := 0, -1
	for i := 0; i < len(s); {
		k, n := Next(s[i:])
		switch {
		case k == Control && s[i] == '\r':
			cr = i + 1
		case cr >= 0:
			start, cr = cr, -1
		}
		i += n
	}
	return s[start:]
}

// Plain reports whether s has no control byte (C0 or DEL), so it has
// nothing to strip.
func Plain(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 { // eight bytes at a time
		if controls(load64(s, i)) != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if isControl(s[i]) {
			return false
		}
	}
	return true
}

// Strip returns the text of s as a terminal shows it (see AppendStrip),
// s itself when s is Plain.
func Strip(s string) string {
	if Plain(s) {
		return s
	}
	return string(AppendStrip(nil, s))
}

// AppendStrip appends the text of s to dst as a terminal shows it: the
// Final part, without escape sequences and control bytes except tabs.
func AppendStrip(dst []byte, s string) []byte {
	s = Final(s)
	for len(s) > 0 {
		k, n := Next(s)
		if k == Text || k == Control && s[0] == '\t' {
			dst = append(dst, s[:n]...)
		}
		s = s[n:]
	}
	return dst
}
