package ansi_test

import (
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/internal/ansi"
	"github.com/ovrseer/ovrseer/internal/ansi/ansitest"
)

func TestCases(t *testing.T) {
	for _, c := range ansitest.Cases {
		if got := ansi.Strip(c.In); got != c.Visible {
			t.Errorf("%s: Strip(%q) = %q, want %q", c.Name, c.In, got, c.Visible)
		}
		if got := string(ansi.AppendSafe(nil, c.In)); got != c.Safe {
			t.Errorf("%s: AppendSafe(%q) = %q, want %q", c.Name, c.In, got, c.Safe)
		}
		if ansi.Safe(c.In) && c.In != c.Safe {
			t.Errorf("%s: Safe(%q) = true, but it changes", c.Name, c.In)
		}
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		in   string
		kind ansi.Kind
		n    int
	}{
		{"abc\x1b[m", ansi.Text, 3},
		{"\x1b[1;31mx", ansi.SGR, 7},
		{"\x1b[mx", ansi.SGR, 3},
		{"\x1b[2Jx", ansi.CSI, 4},
		{"\x1b[?25lx", ansi.CSI, 6},
		{"\x1b[1 qx", ansi.CSI, 5}, // intermediate byte
		{"\x1b(Bx", ansi.Charset, 3},
		{"\x1b(", ansi.Escape, 2},
		{"\x1b]0;t\x07x", ansi.String, 6},
		{"\x1b]0;t\x1b\\x", ansi.String, 7},
		{"\x1b_apc\x1b\\", ansi.String, 7},
		{"\x1b", ansi.Escape, 1},
		{"\x1b\x1b[m", ansi.Escape, 1},
		{"\x1b\xc3\xa9", ansi.Escape, 1},
		{"\x1b=x", ansi.Escape, 2},
		{"\tx", ansi.Control, 1},
		{"\x7fx", ansi.Control, 1},
		{"é\x00", ansi.Text, 2},
	}
	for _, tt := range tests {
		k, n := ansi.Next(tt.in)
		if k != tt.kind || n != tt.n {
			t.Errorf("Next(%q) = %d, %d, want %d, %d", tt.in, k, n, tt.kind, tt.n)
		}
	}
}

func TestTabsKept(t *testing.T) {
	in := "\tat main.go:12\t\x1b[1mx"
	if got := ansi.Strip(in); got != "\tat main.go:12\tx" {
		t.Errorf("Strip = %q", got)
	}
	if got := string(ansi.AppendSafe(nil, in)); got != in {
		t.Errorf("AppendSafe = %q", got)
	}
}

// TestNoAllocs: a line without control bytes costs no allocation.
func TestNoAllocs(t *testing.T) {
	lines := []string{"GET /api/users 200 12ms", "café ✓ ready", "\x1b[32mok\x1b[0m"}
	var buf []byte
	for _, l := range lines {
		n := testing.AllocsPerRun(100, func() {
			if ansi.Safe(l) {
				return
			}
			buf = ansi.AppendSafe(buf[:0], l)
			_ = ansi.Strip(l)
		})
		if l == lines[2] {
			continue // Strip of an escaped line allocates its result
		}
		if n != 0 {
			t.Errorf("%q: %v allocations", l, n)
		}
	}
}

// TestSafeEveryPosition: the word-at-a-time check sees a bad byte wherever
// it is, in lines of every length around the word sizes.
func TestSafeEveryPosition(t *testing.T) {
	for n := 1; n <= 40; n++ {
		for pos := range n {
			for _, c := range []struct {
				b    byte
				safe bool
			}{{0x07, false}, {0x00, false}, {0x1b, false}, {0x7f, false}, {0x1f, false}, {0x80, false}, {0xff, false}, {'\t', true}, {0x20, true}, {0x7e, true}} {
				line := []byte(strings.Repeat("a", n))
				line[pos] = c.b
				if got := ansi.Safe(string(line)); got != c.safe {
					t.Fatalf("Safe(%q) = %v, want %v", line, got, c.safe)
				}
				if got := ansi.Plain(string(line)); got != (c.b >= 0x20 && c.b != 0x7f) {
					t.Fatalf("Plain(%q) = %v", line, got)
				}
			}
		}
	}
}
