package logger

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func texts(ls []Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Text
	}
	return out
}

func fill(r *Ring, from, to int) {
	for i := from; i < to; i++ {
		r.Append(Line{Text: strconv.Itoa(i)})
	}
}

func TestRing(t *testing.T) {
	tests := []struct {
		name     string
		size     int
		appended int
		last     int
		want     []string
		wantLen  int
	}{
		{"empty", 3, 0, 5, []string{}, 0},
		{"partial", 3, 2, 5, []string{"0", "1"}, 2},
		{"partial fewer", 3, 2, 1, []string{"1"}, 2},
		{"full", 3, 3, 3, []string{"0", "1", "2"}, 3},
		{"wrapped", 3, 5, 3, []string{"2", "3", "4"}, 3},
		{"wrapped fewer", 3, 5, 2, []string{"3", "4"}, 3},
		{"wrapped across end", 4, 6, 3, []string{"3", "4", "5"}, 4},
		{"zero", 3, 5, 0, []string{}, 3},
		{"negative", 3, 5, -1, []string{}, 3},
		{"size 0 means 1", 0, 5, 5, []string{"4"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(tt.size)
			fill(r, 0, tt.appended)
			got := r.Last(tt.last)
			if got == nil || !equal(texts(got), tt.want) {
				t.Fatalf("Last(%d) = %q, want %q", tt.last, texts(got), tt.want)
			}
			if r.Len() != tt.wantLen {
				t.Fatalf("Len = %d, want %d", r.Len(), tt.wantLen)
			}
		})
	}
}

func TestRingLastIsACopy(t *testing.T) {
	r := NewRing(2)
	fill(r, 0, 2)
	got := r.Last(2)
	fill(r, 2, 4)
	if !equal(texts(got), []string{"0", "1"}) {
		t.Fatalf("Last changed after later appends: %q", texts(got))
	}
}

// TestRingConcurrentReaders checks, under -race, that readers running beside
// the writer always see a consecutive, oldest-first run of lines.
func TestRingConcurrentReaders(t *testing.T) {
	const total = 20000
	r := NewRing(64)
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan string, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				ls := r.Last(50)
				for i := 1; i < len(ls); i++ {
					a, _ := strconv.Atoi(ls[i-1].Text)
					b, _ := strconv.Atoi(ls[i].Text)
					if b != a+1 {
						errs <- "not consecutive: " + ls[i-1].Text + " then " + ls[i].Text
						return
					}
				}
			}
		}()
	}
	fill(r, 0, total)
	close(done)
	wg.Wait()
	select {
	case e := <-errs:
		t.Fatal(e)
	default:
	}
	if got := texts(r.Last(1)); got[0] != strconv.Itoa(total-1) {
		t.Fatalf("last line %q, want %d", got[0], total-1)
	}
}

func TestStreamString(t *testing.T) {
	for s, want := range map[Stream]string{Stdout: "stdout", Stderr: "stderr", 7: "stream(7)"} {
		if got := s.String(); got != want {
			t.Errorf("Stream(%d).String() = %q, want %q", s, got, want)
		}
	}
}

func TestRingKeepsTime(t *testing.T) {
	r := NewRing(1)
	now := time.Date(2026, 11, 25, 17, 40, 48, 0, time.UTC)
	r.Append(Line{Time: now, Stream: Stderr, Text: "x"})
	if l := r.Last(1)[0]; !l.Time.Equal(now) || l.Stream != Stderr {
		t.Fatalf("got %+v", l)
	}
}

// AppendAll keeps the same lines in the same order as one Append per line,
// across the wrap and beyond the capacity.
func TestRingAppendAll(t *testing.T) {
	lines := func(from, to int) []Line {
		var ls []Line
		for i := from; i < to; i++ {
			ls = append(ls, Line{Text: strconv.Itoa(i)})
		}
		return ls
	}
	for _, sizes := range [][]int{{3}, {5, 1}, {4, 4, 4}, {12}, {0, 7, 2, 9}} {
		one, all := NewRing(5), NewRing(5)
		next := 0
		for _, n := range sizes {
			batch := lines(next, next+n)
			next += n
			for _, l := range batch {
				one.Append(l)
			}
			all.AppendAll(batch)
			if fmt.Sprint(all.Last(5)) != fmt.Sprint(one.Last(5)) || all.Len() != one.Len() {
				t.Fatalf("batches %v: AppendAll %v, Append %v", sizes, all.Last(5), one.Last(5))
			}
		}
	}
}

// A large capacity costs nothing until lines arrive: the slots grow with
// the lines, never beyond the capacity.
func TestRingGrowsLazily(t *testing.T) {
	r := NewRing(1_000_000)
	if got := r.allocated(); got != 0 {
		t.Fatalf("a new ring allocated %d slots, want 0", got)
	}
	fill(r, 0, 100)
	if got := r.allocated(); got < 100 || got > 256 {
		t.Fatalf("after 100 lines %d slots are allocated, want 100..256", got)
	}
	small := NewRing(40)
	fill(small, 0, 35)
	small.AppendAll([]Line{{Text: "a"}, {Text: "b"}, {Text: "c"}, {Text: "d"}, {Text: "e"}, {Text: "f"}, {Text: "g"}})
	if got := small.allocated(); got != 40 {
		t.Fatalf("a full ring of 40 allocated %d slots", got)
	}
	got := texts(small.Last(3))
	if !equal(got, []string{"e", "f", "g"}) {
		t.Fatalf("Last(3) = %q", got)
	}
	if small.Len() != 40 || texts(small.Last(40))[0] != "2" {
		t.Fatalf("Len = %d, oldest %q; want 40, \"2\"", small.Len(), texts(small.Last(40))[0])
	}
}

// A ring of a million lines costs nothing until lines arrive (measured by
// what NewRing allocates, so it holds on any implementation).
func TestNewRingAllocatesNothingUpFront(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := NewRing(1_000_000)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<10 {
		t.Fatalf("NewRing(1000000) allocated %d bytes", got)
	}
	r.Append(Line{Text: "x"})
	if r.Len() != 1 || r.Cap() != 1_000_000 {
		t.Fatalf("Len %d Cap %d", r.Len(), r.Cap())
	}
}

// LastUpTo reads the lines numbered up to a point, whatever came after,
// across wrap-arounds; Total numbers them.
func TestRingLastUpTo(t *testing.T) {
	r := NewRing(5)
	text := func(ls []Line) string {
		var s []string
		for _, l := range ls {
			s = append(s, l.Text)
		}
		return strings.Join(s, ",")
	}
	if got := text(r.LastUpTo(0, 3)); got != "" || r.Total() != 0 {
		t.Fatalf("empty ring: %q, total %d", got, r.Total())
	}
	for i := 1; i <= 3; i++ {
		r.Append(Line{Text: strconv.Itoa(i)})
	}
	if got := text(r.LastUpTo(2, 10)); got != "1,2" {
		t.Errorf("up to 2 of 3: %q", got)
	}
	r.AppendAll([]Line{{Text: "4"}, {Text: "5"}, {Text: "6"}, {Text: "7"}})
	if r.Total() != 7 {
		t.Errorf("total %d, want 7", r.Total())
	}
	for _, tc := range []struct {
		upTo uint64
		n    int
		want string
	}{{7, 10, "3,4,5,6,7"}, {7, 2, "6,7"}, {5, 10, "3,4,5"}, {5, 2, "4,5"}, {3, 10, "3"}, {2, 10, ""}, {9, 10, "3,4,5,6,7"}} {
		if got := text(r.LastUpTo(tc.upTo, tc.n)); got != tc.want {
			t.Errorf("LastUpTo(%d, %d) = %q, want %q", tc.upTo, tc.n, got, tc.want)
		}
	}
	r.AppendAll([]Line{{Text: "a"}, {Text: "b"}, {Text: "c"}, {Text: "d"}, {Text: "e"}, {Text: "f"}, {Text: "g"}})
	if got := text(r.LastUpTo(12, 3)); r.Total() != 14 || got != "c,d,e" {
		t.Errorf("after a long AppendAll: total %d, up to 12: %q", r.Total(), got)
	}
}
