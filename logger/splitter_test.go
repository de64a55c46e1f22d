package logger

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// refSplit is the obvious, whole-input splitter the streaming one must agree
// with.
func refSplit(data []byte) []string {
	var out []string
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		out = append(out, refLine(data[:i]))
		data = data[i+1:]
	}
	if len(data) > 0 {
		out = append(out, refLine(data))
	}
	return out
}

func refLine(l []byte) string {
	l = bytes.TrimSuffix(l, []byte("\r"))
	if len(l) > MaxLine {
		return string(l[:MaxLine]) + CutMarker
	}
	return string(l)
}

// splitChunks feeds data in chunks of the given sizes (cycled) and flushes.
func splitChunks(t testing.TB, data []byte, sizes []int) []string {
	t.Helper()
	var got []string
	s := NewSplitter(func(l []byte) {
		if len(l) > MaxLine+len(CutMarker) {
			t.Fatalf("emitted %d bytes, more than MaxLine+marker", len(l))
		}
		got = append(got, string(l))
	})
	for k := 0; len(data) > 0; k++ {
		n := min(sizes[k%len(sizes)], len(data))
		if w, err := s.Write(data[:n]); w != n || err != nil {
			t.Fatalf("Write = %d, %v; want %d, nil", w, err, n)
		}
		if len(s.buf) > MaxLine+1 || cap(s.buf) > maxBuf {
			t.Fatalf("buffer len %d cap %d exceeds the bound", len(s.buf), cap(s.buf))
		}
		data = data[n:]
	}
	s.Flush()
	return got
}

func TestSplitter(t *testing.T) {
	full := strings.Repeat("a", MaxLine)
	cut := full + CutMarker
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"one line", "hello\n", []string{"hello"}},
		{"no final newline", "a\nb", []string{"a", "b"}},
		{"crlf", "a\r\nb\r\n", []string{"a", "b"}},
		{"inner cr kept", "a\rb\n", []string{"a\rb"}},
		{"only one cr dropped", "a\r\r\n", []string{"a\r"}},
		{"final cr dropped on flush", "a\r", []string{"a"}},
		{"empty lines", "\n\n\r\n", []string{"", "", ""}},
		{"raw bytes", "\xff\x00\x1b[31m\n", []string{"\xff\x00\x1b[31m"}},
		{"exactly MaxLine", full + "\nz\n", []string{full, "z"}},
		{"exactly MaxLine crlf", full + "\r\nz\n", []string{full, "z"}},
		{"exactly MaxLine unterminated", full, []string{full}},
		{"exactly MaxLine cr unterminated", full + "\r", []string{full}},
		{"MaxLine+1", full + "b\nz\n", []string{cut, "z"}},
		{"MaxLine+1 unterminated", full + "b", []string{cut}},
		{"MaxLine then cr then more", full + "\rb\nz\n", []string{cut, "z"}},
		{"MaxLine+1 crlf", full + "b\r\nz", []string{cut, "z"}},
		{"MaxLine-1 cr cr unterminated", full[1:] + "\r\r", []string{full[1:] + "\r"}},
		{"MaxLine-1 cr", full[1:] + "\r\n", []string{full[1:]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			if ref := refSplit(in); !equal(ref, tt.want) {
				t.Fatalf("reference disagrees with the table: %s", diff(ref, tt.want))
			}
			for _, sizes := range chunkings(len(in)) {
				if got := splitChunks(t, in, sizes); !equal(got, tt.want) {
					t.Fatalf("chunks %v: %s", sizes, diff(got, tt.want))
				}
			}
		})
	}
}

// chunkings returns chunk-size patterns that put a boundary everywhere for
// short inputs and around the interesting offsets for long ones.
func chunkings(n int) [][]int {
	out := [][]int{{max(n, 1)}, {1}, {3}, {4096}}
	if n <= 64 {
		for i := 1; i < n; i++ {
			out = append(out, []int{i, n})
		}
		return out
	}
	for _, at := range []int{1, MaxLine - 1, MaxLine, MaxLine + 1, MaxLine + 2} {
		if at < n {
			out = append(out, []int{at, n}, []int{at, 1, n})
		}
	}
	return out
}

func TestSplitterHugeLine(t *testing.T) {
	var in bytes.Buffer
	in.WriteString("before\n")
	in.Write(bytes.Repeat([]byte("x"), 10<<20))
	in.WriteString("\nafter\n")
	want := []string{"before", strings.Repeat("x", MaxLine) + CutMarker, "after"}
	for _, sizes := range [][]int{{32 << 10}, {64 << 10}, {1 << 20}, {in.Len()}, {7, 65535, 3}} {
		if got := splitChunks(t, in.Bytes(), sizes); !equal(got, want) {
			t.Fatalf("chunks %v: %s", sizes, diff(got, want))
		}
	}
}

func TestSplitterSteadyStateAllocs(t *testing.T) {
	line := []byte(strings.Repeat("y", 99) + "\n")
	var lines int
	s := NewSplitter(func([]byte) { lines++ })
	half := len(line) / 2
	s.Write(line[:half]) // grow the buffer once
	s.Write(line[half:])
	allocs := testing.AllocsPerRun(1000, func() {
		s.Write(line)        // whole line: emitted from p
		s.Write(line[:half]) // split line: joined in the buffer
		s.Write(line[half:])
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per run, want 0", allocs)
	}
	if lines < 2002 {
		t.Fatalf("emitted %d lines, want at least 2002", lines)
	}
}

func FuzzSplitter(f *testing.F) {
	f.Add([]byte("a\nb\r\nc"), []byte{1, 2, 3}, uint16(0), uint8(0))
	f.Add([]byte("\r\n\n\r"), []byte{0}, uint16(8), uint8(1))
	f.Add([]byte("xy\r\nz"), []byte{200, 7}, uint16(9), uint8(2))
	f.Fuzz(func(t *testing.T, data, cuts []byte, pad uint16, at uint8) {
		if pad > 0 { // a run near MaxLine, so the cut logic is reached
			run := bytes.Repeat([]byte("x"), MaxLine-8+int(pad%20))
			i := int(at) % (len(data) + 1)
			data = append(append(append([]byte{}, data[:i]...), run...), data[i:]...)
		}
		sizes := []int{len(data) + 1}
		if len(cuts) > 0 {
			sizes = sizes[:0]
			for _, c := range cuts {
				sizes = append(sizes, int(c)+1)
			}
			if pad > 0 {
				sizes = append(sizes, MaxLine-int(pad%20))
			}
		}
		want := refSplit(data)
		if got := splitChunks(t, data, sizes); !equal(got, want) {
			t.Fatalf("chunks %v: %s", sizes, diff(got, want))
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func diff(got, want []string) string {
	short := func(ls []string) []string {
		out := make([]string, len(ls))
		for i, l := range ls {
			if len(l) > 40 {
				l = fmt.Sprintf("%.20q…%d bytes…%q", l, len(l), l[len(l)-12:])
			} else {
				l = fmt.Sprintf("%q", l)
			}
			out[i] = l
		}
		return out
	}
	return fmt.Sprintf("got %d lines %v, want %d lines %v", len(got), short(got), len(want), short(want))
}
