package unit

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/logger"
)

func TestGrandchildHoldingPipe(t *testing.T) {
	rec := newRecorder()
	u := newUnit(t, childSpec("grandchild"), rec.options())
	u.Start()
	spawn := rec.next(t, 5*time.Second, EventSpawn)
	exit := rec.next(t, 5*time.Second, EventExit)
	if d := exit.Time.Sub(spawn.Time); d > time.Second {
		t.Errorf("exit seen %v after the spawn", d)
	}
	lines := rec.lineTexts()
	rec.mu.Lock()
	atExit := rec.linesAtExit[0]
	rec.mu.Unlock()
	if len(lines) != 101 || atExit != 101 || lines[99] != "line 99" {
		t.Fatalf("%d lines (%d at the exit), want 101: %q", len(lines), atExit, lines[max(len(lines)-2, 0):])
	}
	gc, err := strconv.Atoi(strings.TrimPrefix(lines[100], "grandchild "))
	if err != nil {
		t.Fatal(err)
	}
	rec.state(t, time.Second, StateCompleted)
	waitGone(t, spawn.Pid, 2*time.Second) // the grandchild was in the group
	if err := syscall.Kill(gc, 0); err != syscall.ESRCH {
		t.Errorf("grandchild %d: kill = %v", gc, err)
	}
}

func TestLongLineCut(t *testing.T) {
	rec := newRecorder()
	u := newUnit(t, childSpec("longline"), rec.options())
	u.Start()
	rec.next(t, 10*time.Second, EventExit)
	lines := rec.lineTexts()
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	want := strings.Repeat("y", logger.MaxLine) + logger.CutMarker
	if lines[0] != want || lines[1] != "next" {
		t.Errorf("lines = %d bytes ending %q, %q", len(lines[0]), lines[0][max(len(lines[0])-12, 0):], lines[1])
	}
}

func TestFinalLineWithoutNewline(t *testing.T) {
	rec := newRecorder()
	u := newUnit(t, childSpec("nonl"), rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventExit)
	if got := strings.Join(rec.lineTexts(), "|"); got != "first|partial" {
		t.Errorf("lines = %q", got)
	}
	logs := u.Logs(10)
	if len(logs) != 2 || logs[1].Text != "partial" || logs[1].Stream != logger.Stdout {
		t.Errorf("Logs = %+v", logs)
	}
}

func TestMillionLines(t *testing.T) {
	const n = 1_000_000
	rec := newRecorder()
	rec.keep = false
	u := newUnit(t, childSpec("flood", strconv.Itoa(n)), rec.options())
	u.Start()
	rec.next(t, 20*time.Second, EventExit)
	if got := rec.lines.Load(); got != n {
		t.Errorf("%d lines, want %d", got, n)
	}
	if logs := u.Logs(5); len(logs) != 5 || len(logs[4].Text) != 99 {
		t.Errorf("Logs = %+v", logs)
	}
}

func TestStdinSend(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("echo")
	spec.Stdin = true
	spec.Ready = []Check{{Kind: CheckLog, Pattern: "^ready$"}}
	u := newUnit(t, spec, rec.options())
	if err := u.Send("early"); err == nil || err.Error() != `unit "echo": send: not running` {
		t.Errorf("Send before start = %v", err)
	}
	u.Start()
	rec.next(t, 5*time.Second, EventReady)
	for _, s := range []string{"hello", "wörld [red]"} {
		if err := u.Send(s); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(rec.lineTexts()) < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := strings.Join(rec.lineTexts(), "|"); got != "ready|echo: hello|echo: wörld [red]" {
		t.Errorf("lines = %q", got)
	}
	closedWithin(t, u.Stop(), 5*time.Second)
	u2 := newUnit(t, childSpec("sleep"), Options{})
	if err := u2.Send("x"); err == nil || err.Error() != `unit "sleep": send: no stdin (it takes input only with stdin = True)` {
		t.Errorf("Send without Stdin = %v", err)
	}
}

func TestCleanStart(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "/run/systemd/notify")
	t.Setenv("LISTEN_FDS", "3")
	t.Setenv("LISTEN_PID", "1")
	rec := newRecorder()
	spec := childSpec("env")
	spec.Env = append(spec.Env, "LISTEN_MINE=kept") // only the three are removed
	u := newUnit(t, spec, rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventExit)
	if got, want := strings.Join(rec.lineTexts(), "|"), "env LISTEN_MINE=kept|stdin chardev|env done"; got != want {
		t.Errorf("child saw %q, want %q", got, want)
	}
}

func TestStreamsInterleaved(t *testing.T) {
	rec := newRecorder()
	u := newUnit(t, Spec{Name: "sh", Argv: []string{"sh", "-c", "echo out1; sleep 0.05; echo err1 >&2; sleep 0.05; echo out2"}},
		rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventExit)
	logs := u.Logs(10)
	var got []string
	for _, l := range logs {
		got = append(got, l.Stream.String()+":"+l.Text)
	}
	if s := strings.Join(got, " "); s != "stdout:out1 stderr:err1 stdout:out2" {
		t.Errorf("logs = %s", s)
	}
}

func TestFlags(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "0", "ok", "ERROR one", "after", "fine", "ERROR two")
	spec.Flags = []flagset.Flag{{Name: "errors", Pattern: `ERROR`, Context: 1, Target: 1}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventExit)
	var got []string
	for _, e := range rec.all(EventFlag) {
		got = append(got, fmt.Sprintf("%d:%s:%q", e.Hit.Kind, e.Hit.Flag, e.Hit.Context))
	}
	// The second window is closed by the exit (Flush).
	want := `0:errors:["ok" "ERROR one" "after"] 1:errors:[] 0:errors:["fine" "ERROR two"]`
	if s := strings.Join(got, " "); s != want {
		t.Errorf("hits:\n got %s\nwant %s", s, want)
	}
	if c := u.Status().Flags["errors"]; c != 2 {
		t.Errorf("count = %d", c)
	}
}

func TestFlagWindowExpires(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("readyafter", "0", "stdout") // one line, then silence
	spec.Flags = []flagset.Flag{{Name: "l", Pattern: `listening`, Context: 2, Target: flagset.NoTarget}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	e := rec.next(t, 5*time.Second, EventFlag)
	if e.Hit.Kind != flagset.Matched || e.State != StateReady || len(rec.all(EventExit)) != 0 {
		t.Errorf("hit = %s; %s", fmtEvent(e), rec.summary())
	}
	if d := e.Time.Sub(e.Hit.Time); d < 900*time.Millisecond || d > 2*time.Second {
		t.Errorf("window closed %v after the match, want about 1 s", d)
	}
}

// TestNoLineBeforeSpawn: a process's lines are reported only after its
// EventSpawn, however fast it prints (event consumers show "started" first).
func TestNoLineBeforeSpawn(t *testing.T) {
	for i := range 20 {
		rec := newRecorder()
		var early atomic.Int64
		opts := rec.options()
		opts.OnEvent = func(e Event) {
			if e.Kind == EventSpawn {
				early.Store(rec.lines.Load())
			}
			rec.onEvent(e)
		}
		u := newUnit(t, Spec{Argv: []string{"sh", "-c", "echo first"}}, opts)
		u.Start()
		rec.next(t, 5*time.Second, EventExit)
		if n := early.Load(); n != 0 {
			t.Fatalf("run %d: %d line(s) reported before EventSpawn", i, n)
		}
		u.Close()
	}
}

// TestIdleProcessesHoldNoReadBuffer: twenty processes that printed a line
// and then sleep hold no read buffer (a stream borrows one only while its
// pipe has data): the live heap grows by much less than the 2.5 MiB that
// a 64 KiB buffer per stream used to cost.
func TestIdleProcessesHoldNoReadBuffer(t *testing.T) {
	const n = 20
	heap := func() int64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	recs := make([]*recorder, n)
	for i := range recs {
		recs[i] = newRecorder() // its event channel is big: not counted
	}
	before := heap()
	for i, rec := range recs {
		spec := Spec{Name: "idle" + strconv.Itoa(i), Argv: []string{"sh", "-c", "echo up; exec sleep 1000"}}
		newUnit(t, spec, rec.options()).Start()
	}
	for _, rec := range recs {
		eventually(t, 10*time.Second, "the line arrived", func() bool { return rec.lines.Load() == 1 })
	}
	if grown := heap() - before; grown > 1<<20 {
		t.Errorf("%d idle processes grew the live heap by %d KiB, want under 1 MiB", n, grown>>10)
	}
}
