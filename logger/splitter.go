package logger

import "bytes"

// maxBuf bounds the capacity of a Splitter's buffer: one cut line plus its
// marker.
const maxBuf = MaxLine + len(CutMarker)

// Splitter turns a byte stream into lines.
//
// A line that arrives whole inside one Write is handed to emit as a slice of
// the caller's buffer; only a line spanning Writes is copied into the
// Splitter's own buffer, which is reused. Either way no allocation happens
// per line once the buffer has grown to the longest partial line seen.
type Splitter struct {
	emit func(line []byte)
	buf  []byte // the partial line so far: at most MaxLine+1 bytes
	// skipping: a cut line was emitted; drop bytes up to the next newline.
	skipping bool
	// pendingCR: buf holds exactly MaxLine bytes followed by a '\r' that is
	// not stored; a '\n' next ends the line uncut, anything else cuts it.
	pendingCR bool
}

// NewSplitter returns a splitter that calls emit once per complete line, in
// order. The slice passed to emit is only valid during the call.
func NewSplitter(emit func(line []byte)) *Splitter {
	return &Splitter{emit: emit}
}

// Write splits p into lines; it never fails and never keeps more than MaxLine
// bytes of a partial line.
func (s *Splitter) Write(p []byte) (int, error) {
	n := len(p)
	if s.pendingCR && len(p) > 0 {
		s.pendingCR = false
		if p[0] == '\n' {
			s.emitBuf() // the '\r' is already dropped
			p = p[1:]
		} else {
			s.cut()
		}
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		switch {
		case s.skipping && i < 0:
			return n, nil
		case s.skipping:
			s.skipping = false
		case i < 0:
			s.hold(p)
			return n, nil
		case len(s.buf) == 0:
			s.finish(p[:i])
		default:
			s.join(p[:i])
		}
		p = p[i+1:]
	}
	return n, nil
}

// Flush emits a final partial line (one without a newline), if any.
func (s *Splitter) Flush() {
	switch {
	case s.pendingCR:
		s.pendingCR = false
		s.emitBuf()
	case len(s.buf) > 0:
		s.finish(s.buf)
	}
	s.skipping = false
}

// finish emits a complete line (without its '\n'), dropping a trailing '\r'
// and cutting it when too long. line may alias s.buf.
func (s *Splitter) finish(line []byte) {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) > MaxLine {
		if len(s.buf) == 0 { // line is the caller's: copy the kept part
			s.grow(maxBuf)
			s.buf = append(s.buf, line[:MaxLine]...)
		}
		s.buf = s.buf[:MaxLine]
		s.emitCut()
		return
	}
	s.emit(line)
	s.buf = s.buf[:0]
}

func (s *Splitter) emitBuf() {
	s.emit(s.buf)
	s.buf = s.buf[:0]
}

// join ends the buffered partial line with seg, the bytes before a '\n'.
func (s *Splitter) join(seg []byte) {
	if len(s.buf)+len(seg) > MaxLine+1 { // too long even without a '\r'
		s.grow(maxBuf)
		s.buf = append(s.buf, seg[:MaxLine-len(s.buf)]...)
		s.emitCut()
		return
	}
	s.grow(len(s.buf) + len(seg))
	s.buf = append(s.buf, seg...)
	s.finish(s.buf)
}

// hold buffers p, a piece of a line whose end has not arrived, cutting the
// line once it is known to be longer than MaxLine.
func (s *Splitter) hold(p []byte) {
	total := len(s.buf) + len(p)
	switch {
	case total <= MaxLine:
		s.grow(total)
		s.buf = append(s.buf, p...)
	case total == MaxLine+1 && p[len(p)-1] == '\r':
		s.grow(MaxLine)
		s.buf = append(s.buf, p[:len(p)-1]...)
		s.pendingCR = true
	default:
		s.grow(maxBuf)
		s.buf = append(s.buf, p[:MaxLine-len(s.buf)]...)
		s.cut()
	}
}

// cut emits the MaxLine bytes in s.buf with the marker and skips the rest of
// the line.
func (s *Splitter) cut() {
	s.emitCut()
	s.skipping = true
}

func (s *Splitter) emitCut() {
	s.grow(maxBuf)
	s.buf = append(s.buf[:MaxLine], CutMarker...)
	s.emit(s.buf)
	s.buf = s.buf[:0]
}

// grow makes room for n bytes in s.buf, doubling up to maxBuf so a long
// line costs few copies and the buffer never exceeds one cut line.
func (s *Splitter) grow(n int) {
	if n <= cap(s.buf) {
		return
	}
	c := max(2*cap(s.buf), n, 256)
	c = min(c, maxBuf)
	b := make([]byte, len(s.buf), c)
	copy(b, s.buf)
	s.buf = b
}
