package flagset

// stripANSI appends line without its ANSI escape sequences to dst: CSI
// (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \) and the two-byte and
// nF escapes (ESC, intermediates 0x20-0x2F, a final byte). An unterminated
// sequence runs to the end of the line.
func stripANSI(dst []byte, line string) []byte {
	for i := 0; i < len(line); {
		if line[i] != 0x1b {
			j := i + 1
			for j < len(line) && line[j] != 0x1b {
				j++
			}
			dst = append(dst, line[i:j]...)
			i = j
			continue
		}
		i = skipEscape(line, i+1)
	}
	return dst
}

// skipEscape returns the index after the escape sequence whose ESC is just
// before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[': // CSI: parameters and intermediates, then a final byte 0x40-0x7E
		for i++; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return i
	case ']': // OSC: up to BEL or ST (ESC \)
		for i++; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return i
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f { // nF intermediates
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}
