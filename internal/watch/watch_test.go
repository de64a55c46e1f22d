package watch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/internal/glob"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, rel string
		want         bool
	}{
		{"src/**", "src/main.go", true},
		{"src/**", "src/a/b/c.go", true},
		{"**/*.go", "main.go", true},
		{"**/*.go", "a/b/main.go", true},
		{"**/*.go", "a/b/main.c", false},
		{"*.go", "a/main.go", false},
		{"src/*.go", "src/main.go", true},
		{"src/*.go", "src/x/main.go", false},
		{"Ovrfile.star", "Ovrfile.star", true},
	} {
		if got := glob.Match(c.pattern, c.rel); got != c.want {
			t.Errorf("match(%q, %q) = %v, want %v", c.pattern, c.rel, got, c.want)
		}
	}
}

func TestIgnored(t *testing.T) {
	outputs := []string{"/p/crash-reports", "/p/events.jsonl"}
	for _, p := range []string{"/p/.git/index", "/p/node_modules/x/y.js", "/p/src/.main.go.swp", "/p/src/main.go~",
		"/p/src/.#main.go", "/p/src/4913", "/p/crash-reports/a.json", "/p/events.jsonl"} {
		if !ignoredPath(p, outputs) {
			t.Errorf("%s not ignored", p)
		}
	}
	for _, p := range []string{"/p/src/main.go", "/p/events.jsonl.d", "/p/gitx/a"} {
		if ignoredPath(p, outputs) {
			t.Errorf("%s ignored", p)
		}
	}
}

func TestRoot(t *testing.T) {
	for _, c := range []struct {
		glob, dir string
		deep      bool
	}{
		{"src/**", "/r/src", true}, {"src/*.go", "/r/src", false}, {"*.go", "/r", false},
		{"a/b/**/*.go", "/r/a/b", true}, {"Ovrfile.star", "/r", false},
	} {
		if dir, deep := root("/r", c.glob); dir != c.dir || deep != c.deep {
			t.Errorf("root(%q) = %s %v, want %s %v", c.glob, dir, deep, c.dir, c.deep)
		}
	}
}

func TestLimitHint(t *testing.T) {
	if err := limitHint(syscall.ENOSPC); !strings.Contains(err.Error(), "fs.inotify.max_user_watches") || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("ENOSPC: %v", err)
	}
	if err := limitHint(syscall.EMFILE); !strings.Contains(err.Error(), "fs.inotify.max_user_instances") {
		t.Errorf("EMFILE: %v", err)
	}
}

// A change is reported once the tree was quiet for the debounce; a
// directory made after the start is watched, and the files already in it
// count; a busy tree is reported at the latest MaxDelay after its first
// change.
func TestChanges(t *testing.T) {
	dir := t.TempDir()
	changes := make(chan string, 16)
	w, err := New([]Target{{Name: "app", Dir: dir, Globs: []string{"**/*.go"}}},
		Options{Debounce: 50 * time.Millisecond, MaxDelay: 400 * time.Millisecond,
			OnChange: func(name, file string) { changes <- name + " " + file }})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	next := func(want string) {
		t.Helper()
		select {
		case got := <-changes:
			if got != want {
				t.Fatalf("change %q, want %q", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no change %q", want)
		}
	}
	write := func(rel string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("notes.txt") // not matched
	write("main.go")
	next("app main.go")
	write("a/b/util.go") // a new tree: its file counts
	next("app a/b/util.go")
	write("a/b/c.go") // the new tree is watched
	next("app a/b/c.go")
	// A busy tree: a write every 10 ms never leaves it quiet for 50 ms,
	// still it is reported (MaxDelay).
	stop := time.After(10 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		write("busy.go")
		select {
		case got := <-changes:
			if got != "app busy.go" {
				t.Fatalf("change %q during the burst", got)
			}
			return
		case <-stop:
			t.Fatal("a busy tree never reported")
		case <-tick.C:
		}
	}
}

// touch of an existing file (its modification time set to now) is a
// change; a chmod alone is not: the chmod of a.go comes first, yet the
// change reported is b.go's.
func TestTouch(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{"a.go", "b.go"} {
		p := filepath.Join(dir, f)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	changes := make(chan string, 16)
	w, err := New([]Target{{Name: "app", Dir: dir, Globs: []string{"*.go"}}},
		Options{Debounce: 50 * time.Millisecond, MaxDelay: 400 * time.Millisecond,
			OnChange: func(name, file string) { changes <- name + " " + file }})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := os.Chmod(filepath.Join(dir, "a.go"), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := os.Chtimes(filepath.Join(dir, "b.go"), now, now); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-changes:
		if got != "app b.go" {
			t.Fatalf("change %q, want %q (a chmod alone is no change)", got, "app b.go")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("touch b.go: no change")
	}
}
