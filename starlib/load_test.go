package starlib

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadForms(t *testing.T) {
	var printed []string
	opts := testOpts()
	opts.Print = func(msg string) { printed = append(printed, msg) }
	opts.OvrseerPath = "bad-entry:ext=testdata/load/ext"
	o, err := Load("testdata/load/Ovrfile.star", opts)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range o.Files {
		files = append(files, o.rel(f))
	}
	wantFiles := []string{"Ovrfile.star", "lib/a.star", "other/c.star", "lib/b.star", "ext/ext.star"}
	if !slices.Equal(files, wantFiles) {
		t.Errorf("files = %q, want %q", files, wantFiles)
	}
	if !slices.Equal(printed, []string{"loading c"}) {
		t.Errorf("c.star ran %d times (prints %q), want once", len(printed), printed)
	}
	want := map[string]string{"api": "./api --port 8001", "other": "./other --port 8002", "ext-8000": "./ext"}
	for _, p := range o.Plan.Processes {
		if got := p.Spec.Argv[2]; got != want[p.Name] {
			t.Errorf("process %s runs %q, want %q", p.Name, got, want[p.Name])
		}
	}
	root, _ := filepath.Abs("testdata/load")
	if o.Root != root {
		t.Errorf("root = %s, want %s", o.Root, root)
	}
	// dir resolves against ovr.root, also when declared from a library.
	if d := o.Plan.Processes[0].Spec.Dir; d != filepath.Join(root, "svc") {
		t.Errorf("api dir = %s, want %s", d, filepath.Join(root, "svc"))
	}
}

func TestLoadProblems(t *testing.T) {
	cases := []struct {
		file, path, want string
	}{
		{"testdata/errors/load_missing.star", "", "cannot load ./lib/nope.star: testdata/errors/lib/nope.star does not exist"},
		{"testdata/errors/load_cycle.star", "", "load cycle: load_cycle.star -> lib/cycle_a.star -> lib/cycle_b.star -> lib/cycle_a.star"},
		{"testdata/errors/load_root.star", "nop=testdata", `unknown root @nope (did you mean "nop"?)`},
		{"testdata/errors/library.star", "", "process: called while library lib/declares.star loads"},
	}
	for _, c := range cases {
		opts := testOpts()
		opts.OvrseerPath = c.path
		_, err := Load(c.file, opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want it to contain %q", c.file, err, c.want)
		}
	}
}

func TestLoadMissingOvrfile(t *testing.T) {
	_, err := Load("testdata/nope/Ovrfile.star", testOpts())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error", err)
	}
}

func TestRuntimeErrorBacktrace(t *testing.T) {
	_, err := Load("testdata/errors/runtime.star", testOpts())
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("got %v, want 2 errors", err)
	}
	bt := errs[1].Backtrace
	if !strings.Contains(bt, "in boom") || !strings.Contains(bt, "Error in fail:") || !strings.Contains(bt, "boom") {
		t.Errorf("backtrace = %q, want the call chain through boom to fail", bt)
	}
}

func TestLoadWallClockLimit(t *testing.T) {
	opts := testOpts()
	opts.MaxSteps = 1 << 62
	opts.LoadTimeout = 100 * time.Millisecond
	start := time.Now()
	_, err := Load("testdata/errors/steps.star", opts)
	if err == nil || !strings.Contains(err.Error(), "loading took longer than 100ms") {
		t.Fatalf("got %v, want the wall-clock limit", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancellation took %s", d)
	}
}
