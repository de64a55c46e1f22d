package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// A dependency that fails its readiness check ends the run: the UI stays
// with ovrseer's entry selected, showing the lines headless prints (the
// failed check, the crash, why startup ended), until a key is pressed.
func TestUIFailedStartStaysWithTheReason(t *testing.T) {
	db := shProc("db", engine.Dependencies, `echo booting; exec sleep 30`)
	db.Spec.Ready = []unit.Check{{Kind: unit.CheckLog, Pattern: "never printed", Timeout: 300 * time.Millisecond}}
	e, err := engine.New(engine.Plan{Processes: []engine.Process{db, shProc("web", engine.Main, `exec sleep 30`)}}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	scr := newTestScreen(100, 30)
	uiErr := make(chan error, 1)
	go func() { uiErr <- Run(e, Options{Screen: scr, FailedStartHold: time.Minute}) }()
	scr.waitText(t, "Processes")
	code := make(chan int, 1)
	go func() { code <- e.Run(context.Background()) }()
	select {
	case c := <-code:
		if c == 0 {
			t.Fatalf("exit code 0 after a failed start")
		}
	case <-time.After(uiDeadline):
		t.Fatal("the run did not end")
	}
	lines := scr.waitText(t, "ovrseer (follow)", "db failed", "startup aborted", "summary:", "press any key")
	t.Logf("screen:\n%s", strings.Join(lines, "\n"))
	if !strings.Contains(rowWith(lines, "◆ ovrseer"), "ovrseer") {
		t.Errorf("no ovrseer entry:\n%s", strings.Join(lines, "\n"))
	}
	select {
	case err := <-uiErr:
		t.Fatalf("the UI closed before a key was pressed (%v)", err)
	default:
	}
	scr.key('x')
	select {
	case err := <-uiErr:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(uiDeadline):
		t.Fatal("a key did not close the UI")
	}
	checkNoUIGoroutines(t)
}
