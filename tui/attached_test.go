package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/internal/control"
)

// Attached (`ovrseer attach`: the UI through the control API), a flag's
// count is in the flag's colour, as in the run's own UI, and the line the
// process printed before the attach is shown once.
func TestAttachedUIShowsFlagColours(t *testing.T) {
	p := shProc("web", engine.Main, `echo "ERROR boom"; exec sleep 30`)
	p.Spec.Flags = []flagset.Flag{{Name: "errors", Pattern: "ERROR", Color: flagset.Red, Target: flagset.NoTarget}}
	e, err := engine.New(engine.Plan{Processes: []engine.Process{p}}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "att") // short: a socket path is at most 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	paths := control.Paths{Ovrfile: "/x/Ovrfile.star", Dir: dir, Socket: filepath.Join(dir, "s.sock"), Lock: filepath.Join(dir, "s.lock")}
	srv, err := control.Listen(e, control.Options{Paths: paths, Version: "test", Mode: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	code := make(chan int, 1)
	go func() { code <- e.Run(context.Background()) }()
	defer func() {
		e.Quit()
		select {
		case <-code:
		case <-time.After(uiDeadline):
			t.Error("the engine did not end")
		}
		srv.Close()
	}()
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) { // matched before the attach
		if ps := e.Snapshot(); ps[0].Status.Flags["errors"] == 1 {
			break
		}
		if time.Since(start) > uiDeadline {
			t.Fatal("the flag did not match")
		}
	}
	r := control.NewRemote(control.DialSocket(paths.Socket))
	defer r.Close()
	scr := newTestScreen(120, 30)
	uiErr := make(chan error, 1)
	go func() { uiErr <- Run(r, Options{Screen: scr, Attached: true}) }()
	lines := scr.waitText(t, "errors 1", "ERROR boom")
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) { // the snapshot's count comes first, then the match
		fg, _, _ := scr.styleOf(t, "errors 1", 0).Decompose()
		if fg == tcell.ColorRed {
			break
		}
		if time.Since(start) > uiDeadline {
			t.Fatalf("the count is in %v, want red", fg)
		}
	}
	if n := strings.Count(strings.Join(lines, "\n"), "│ERROR boom"); n != 1 {
		t.Errorf("the line is shown %d times:\n%s", n, strings.Join(lines, "\n"))
	}
	scr.key('q') // detaches
	select {
	case err := <-uiErr:
		if err != nil {
			t.Errorf("attached UI: %v", err)
		}
	case <-time.After(uiDeadline):
		t.Fatal("q did not detach")
	}
}
