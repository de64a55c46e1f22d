package unit

import (
	"bytes"
	"strings"
	"testing"
	"unsafe"

	"github.com/ovrseer/ovrseer/logger"
)

// Lines split from one read come back with their exact text, and lines of
// one piece share one copy; a line from the splitter's own buffer is a copy
// of its own.
func TestChunkTextSharesPieces(t *testing.T) {
	buf := make([]byte, readBufSize)
	line := strings.Repeat("x", 99) + "\n"
	n := copy(buf, "tail of the previous line\n"+strings.Repeat(line, 400)+"partial")
	var c chunkText
	c.reset(buf, n)
	var got []string
	sp := logger.NewSplitter(func(b []byte) { got = append(got, c.line(b)) })
	sp.Write(buf[:n])
	if len(got) != 401 || got[0] != "tail of the previous line" {
		t.Fatalf("%d lines, first %q", len(got), got[0])
	}
	pieces := map[uintptr]bool{}
	for i, s := range got[1:] {
		if s != line[:99] {
			t.Fatalf("line %d: %q", i+1, s)
		}
		pieces[uintptr(unsafe.Pointer(unsafe.StringData(s)))-uintptr(i*100)] = true
	}
	// 400 lines of 100 bytes in 16 KiB pieces: 40000/16384 rounded up, plus
	// one base per piece since lines never straddle pieces.
	if len(pieces) > 4 {
		t.Errorf("400 lines used %d distinct pieces, want at most 4", len(pieces))
	}
	buf[27] = 'y' // the strings are copies: the buffer may be reused
	if got[1] != line[:99] {
		t.Error("a line changed with the read buffer")
	}

	c.reset(buf, 0)
	own := []byte("assembled by the splitter")
	if s := c.line(own); s != string(own) {
		t.Errorf("own-buffer line %q", s)
	}
	if s := c.line(nil); s != "" {
		t.Errorf("empty line %q", s)
	}
}

// A line longer than a piece is copied whole into a piece of its own.
func TestChunkTextLongLine(t *testing.T) {
	buf := make([]byte, readBufSize)
	long := bytes.Repeat([]byte("a"), pieceSize+100)
	n := copy(buf, "short\n")
	n += copy(buf[n:], long)
	n += copy(buf[n:], "\nafter\n")
	var c chunkText
	c.reset(buf, n)
	var got []string
	sp := logger.NewSplitter(func(b []byte) { got = append(got, c.line(b)) })
	sp.Write(buf[:n])
	if len(got) != 3 || got[0] != "short" || got[1] != string(long) || got[2] != "after" {
		t.Fatalf("got %d lines: %q, %d bytes, %q", len(got), got[0], len(got[1]), got[len(got)-1])
	}
}
