package unit

// pieceSize is the usual size of the strings chunkText copies a read into:
// a size class of its own, reused by the allocator without page faults,
// and a small unit of memory for a kept line to hold on to.
const pieceSize = 16 << 10

// chunkText turns the lines of one read into strings with one copy per
// piece of the read (pieceSize bytes, or one longer line) instead of one
// per line: the first line that lies in the read buffer past the current
// piece copies the buffer from its start on into a new piece, and that line
// and the next ones within the piece are substrings of it. A line the
// splitter assembled in its own buffer (it spanned reads, or was cut) is
// copied on its own.
//
// A kept line thus keeps its piece alive: at most pieceSize bytes, or the
// line itself when it is longer, and usually it shares them with its
// neighbours, which are kept too.
type chunkText struct {
	buf   []byte // the read buffer
	n     int    // bytes read into buf
	start int    // where piece begins in buf
	piece string // buf[start:start+len(piece)]; "" until a line needs one
}

// reset starts a new read of n bytes into buf.
func (c *chunkText) reset(buf []byte, n int) {
	c.buf, c.n, c.start, c.piece = buf, n, 0, ""
}

// line returns b as a string, sharing a piece of the read when b lies in
// the read buffer.
func (c *chunkText) line(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	// A slice of buf keeps buf's end as its capacity's end, so its offset
	// follows from its capacity; the address check rules out other arrays.
	off := cap(c.buf) - cap(b)
	if off < 0 || off+len(b) > c.n || &c.buf[off] != &b[0] {
		return string(b)
	}
	end := off + len(b)
	if c.piece == "" || off < c.start || end > c.start+len(c.piece) {
		c.start = off
		c.piece = string(c.buf[off:max(end, min(c.n, off+pieceSize))])
	}
	return c.piece[off-c.start : end-c.start]
}
