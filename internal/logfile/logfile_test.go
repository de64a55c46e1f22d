package logfile

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

var t0 = time.Date(2026, 12, 4, 4, 32, 53, 933_000_000, time.UTC)

func logEv(proc, stream, line string) *engine.Event {
	return &engine.Event{Type: engine.ProcessLog, Time: t0, Process: proc, Stream: stream, Line: line}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestTextKeepsBytes: the text format is "TIME STREAM LINE" with the line's
// bytes as they came (colour, invalid UTF-8); files 0600, directory 0700;
// ovrseer's own lines and hook output go to ovrseer.log.
func TestTextKeepsBytes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	var errs []string
	w := New(Options{Dir: dir, Files: map[string]string{"api": filepath.Join(dir, "api.log")},
		OnError: func(p string, err error) { errs = append(errs, p+": "+err.Error()) }})
	w.WriteEvent(&engine.Event{Type: engine.MainStarted, Time: t0})
	w.WriteEvent(logEv("api", "stdout", "listening on :8080"))
	w.WriteEvent(logEv("api", "stderr", "\x1b[31mred\x1b[0m \xff\xfe bell\a"))
	w.WriteEvent(&engine.Event{Type: engine.ProcessReady, Time: t0, Process: "api", Pid: 42, DurationMs: 2000})
	w.WriteEvent(logEv("hook:migrate", "stdout", "2 migrations applied"))
	w.Close()
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := "2026-12-04T04:32:53.933Z stdout listening on :8080\n" +
		"2026-12-04T04:32:53.933Z stderr \x1b[31mred\x1b[0m \xff\xfe bell\a\n"
	if got := read(t, filepath.Join(dir, "api.log")); got != want {
		t.Errorf("api.log:\n got %q\nwant %q", got, want)
	}
	sys := read(t, filepath.Join(dir, SystemLog))
	for _, line := range []string{
		"2026-12-04T04:32:53.933Z ovrseer api ready (pid 42, ",
		"2026-12-04T04:32:53.933Z hook:migrate 2 migrations applied\n",
	} {
		if !strings.Contains(sys, line) {
			t.Errorf("ovrseer.log lacks %q:\n%s", line, sys)
		}
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("log dir mode %o, want 700", m)
	}
	for _, f := range []string{"api.log", SystemLog} {
		if m := mode(t, filepath.Join(dir, f)); m != 0o600 {
			t.Errorf("%s mode %o, want 600", f, m)
		}
	}
}

// TestJSONLinesParse: every line of a json log is one valid JSON object
// with time, process, stream and line, whatever bytes the line had; jq
// reads the file too when it is installed.
func TestJSONLinesParse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.log")
	w := New(Options{Dir: dir, Files: map[string]string{"api": path}, Format: JSON})
	lines := []string{"plain", "quote \" backslash \\ tab \t", "\xff\xfe invalid", "\x1b[1mbold\x1b[0m", "nul \x00 del \x7f", "\u2028 sep", ""}
	for _, l := range lines {
		w.WriteEvent(logEv("api", "stdout", l))
	}
	w.WriteEvent(&engine.Event{Type: engine.ProcessSpawn, Time: t0, Process: "api", Pid: 7})
	w.Close()
	type rec struct{ Time, Process, Stream, Line string }
	sc := bufio.NewScanner(strings.NewReader(read(t, path)))
	var got []rec
	for sc.Scan() {
		var r rec
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, r)
	}
	if len(got) != len(lines) {
		t.Fatalf("%d records, want %d", len(got), len(lines))
	}
	for i, r := range got {
		var want string // what encoding/json makes of the bytes: U+FFFD for each invalid one
		b, _ := json.Marshal(lines[i])
		_ = json.Unmarshal(b, &want)
		if r.Time != "2026-12-04T04:32:53.933Z" || r.Process != "api" || r.Stream != "stdout" || r.Line != want {
			t.Errorf("record %d: %+v, want line %q", i, r, want)
		}
	}
	sys := read(t, filepath.Join(dir, SystemLog))
	if !strings.Contains(sys, `{"time":"2026-12-04T04:32:53.933Z","process":"ovrseer","stream":"ovrseer","line":"api started (pid 7)"}`) {
		t.Errorf("ovrseer.log: %s", sys)
	}
	jq, err := exec.LookPath("jq")
	if err != nil {
		t.Log("jq not installed: parsed with encoding/json only")
		return
	}
	for _, f := range []string{path, filepath.Join(dir, SystemLog)} {
		out, err := exec.Command(jq, "-c", ".line", f).CombinedOutput()
		if err != nil {
			t.Errorf("jq %s: %v\n%s", f, err, out)
		}
	}
}

// TestRotationKeepsFilesAndLines writes lines of varying length to a file
// rotated at 1 MiB: with log_max_files 2, three files remain; with 100,
// every file is kept. In both, every file holds whole lines only, and the
// lines kept are the last ones written, in order, with no gap at any
// boundary.
func TestRotationKeepsFilesAndLines(t *testing.T) {
	for _, tc := range []struct{ keep, lines, files int }{{2, 40_000, 3}, {100, 60_000, 0}} {
		t.Run(fmt.Sprint(tc.keep), func(t *testing.T) {
			files := writeRotated(t, tc.keep, tc.lines)
			if tc.files > 0 && len(files) != tc.files {
				t.Fatalf("files: %v, want api.log and %d rotated ones", files, tc.keep)
			}
			if tc.files == 0 && len(files) < 6 {
				t.Fatalf("only %d files: not enough rotations to test", len(files))
			}
			checkLines(t, files, tc.lines)
		})
	}
}

// writeRotated writes n lines "SEQ x..." of 40 to 200 bytes to api.log
// (1 MiB, keep old files) and returns the files left, oldest first.
func writeRotated(t *testing.T, keep, n int) []string {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.log")
	w := New(Options{Files: map[string]string{"api": path}, MaxSize: 1, MaxFiles: keep,
		OnError: func(p string, err error) { t.Errorf("%s: %v", p, err) }})
	for i := range n {
		w.WriteEvent(logEv("api", "stdout", fmt.Sprintf("%06d %s", i, strings.Repeat("x", 40+i*7919%160))))
		if i%1000 == 999 {
			w.Flush()
			nextMillisecond() // rotated files are named by the millisecond
		}
	}
	w.Close()
	var files []string
	deadline := time.Now().Add(10 * time.Second)
	for { // old files are removed by lumberjack's own goroutine
		files, _ = filepath.Glob(filepath.Join(dir, "api*.log"))
		if len(files) <= keep+1 || time.Now().After(deadline) {
			break
		}
		runtime.Gosched()
	}
	// Rotated names sort by time; the current file is the newest.
	slices.Sort(files)
	return append(slices.DeleteFunc(files, func(f string) bool { return f == path }), path)
}

// checkLines holds files to whole lines, consecutive, ending with line n-1.
func checkLines(t *testing.T, files []string, n int) {
	t.Helper()
	next := -1
	for _, f := range files {
		if m := mode(t, f); m != 0o600 {
			t.Errorf("%s: mode %o", f, m)
		}
		data := read(t, f)
		if !strings.HasSuffix(data, "\n") {
			t.Fatalf("%s does not end with a whole line: a rotation split one", filepath.Base(f))
		}
		for l := range strings.SplitSeq(strings.TrimSuffix(data, "\n"), "\n") {
			seq, ok := parseLine(l)
			if !ok {
				t.Fatalf("%s: line is not whole: %q", filepath.Base(f), l)
			}
			if next >= 0 && seq != next {
				t.Fatalf("%s: line %d follows %d: a line was lost at a boundary", filepath.Base(f), seq, next-1)
			}
			next = seq + 1
		}
	}
	if next != n {
		t.Errorf("last line %d, want %d", next-1, n-1)
	}
}

// parseLine checks "TIME stdout SEQ x..." with as many x as writeRotated
// wrote for SEQ, and returns SEQ.
func parseLine(l string) (int, bool) {
	_, rest, _ := strings.Cut(l, " stdout ")
	num, xs, _ := strings.Cut(rest, " ")
	seq, err := strconv.Atoi(num)
	if err != nil || len(num) != 6 || len(xs) != 40+seq*7919%160 || strings.Trim(xs, "x") != "" {
		return 0, false
	}
	return seq, true
}

// nextMillisecond waits (a few hundred microseconds at most) until the
// clock's millisecond changes.
func nextMillisecond() {
	start := time.Now().Truncate(time.Millisecond)
	for time.Now().Truncate(time.Millisecond).Equal(start) {
		runtime.Gosched()
	}
}

// TestFailingDestination: an unwritable directory and a full disk are each
// reported once, the writes go on without blocking, and the other files
// still get every line.
func TestFailingDestination(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(dir, "full.log")
	if err := os.Symlink("/dev/full", full); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.log")
	errs := map[string]int{}
	w := New(Options{Files: map[string]string{
		"a": filepath.Join(notDir, "logs", "a.log"), "b": full, "c": good,
	}, OnError: func(p string, err error) { errs[p]++ }})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20_000 {
			for _, p := range []string{"a", "b", "c"} {
				w.WriteEvent(logEv(p, "stdout", fmt.Sprintf("line %d", i)))
			}
		}
		w.Close()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("writing to failing files blocked")
	}
	if errs[filepath.Join(notDir, "logs", "a.log")] != 1 || errs[full] != 1 || len(errs) != 2 {
		t.Errorf("errors reported: %v, want one for a.log and one for full.log", errs)
	}
	if n := strings.Count(read(t, good), "\n"); n != 20_000 {
		t.Errorf("good.log has %d lines, want 20000", n)
	}
}

// A log file that is a FIFO without a reader never blocks: OpenSpecial
// names it (NoReaderError), and a Writer that opens it at its first event
// reports it as the file's error instead of waiting for a reader.
func TestFIFOWithoutReaderNeverBlocks(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "api.log")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	w := New(Options{Files: map[string]string{"api": fifo}, OnError: func(_ string, err error) { errs <- err }})
	done := make(chan error, 1)
	go func() { done <- w.OpenSpecial() }()
	select {
	case err := <-done:
		var nr *NoReaderError
		if !errors.As(err, &nr) || nr.Path != fifo || !strings.Contains(err.Error(), "start the reader first") {
			t.Fatalf("OpenSpecial: %v, want a NoReaderError for %s", err, fifo)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("OpenSpecial blocked on a FIFO without a reader")
	}

	late := New(Options{Files: map[string]string{"api": fifo}, OnError: func(_ string, err error) { errs <- err }})
	wrote := make(chan struct{})
	go func() {
		late.WriteEvent(logEv("api", "stdout", "hello"))
		late.Close()
		close(wrote)
	}()
	select {
	case <-wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("the first event blocked on a FIFO without a reader")
	}
	select {
	case err := <-errs:
		var nr *NoReaderError
		if !errors.As(err, &nr) {
			t.Fatalf("error %v, want a NoReaderError", err)
		}
	default:
		t.Fatal("no error reported for the FIFO")
	}
}
