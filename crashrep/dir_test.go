package crashrep

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// inside reports whether path is a direct child of dir.
func inside(dir, path string) bool {
	return filepath.Dir(path) == filepath.Clean(dir)
}

func TestDirWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "crash", "reports")
	path, err := Dir{Path: dir}.Write(sampleReport())
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "api-20261125T174048.123Z.json"); path != want {
		t.Fatalf("path %q, want %q", path, want)
	}
	checkMode(t, dir, os.ModeDir|0o700)
	checkMode(t, path, 0o600)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, data)
	}
	if back.ProcessName != "api" || back.Pid != 4242 || *back.ExitCode != 2 {
		t.Fatalf("read back %+v", back)
	}
	checkOnlyReports(t, dir, 1)
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != want {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
	}
}

// checkOnlyReports fails when dir holds anything but n report files (a
// leftover temporary file, say).
func checkOnlyReports(t *testing.T, dir string, n int) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("unexpected file %s", e.Name())
		}
	}
	if len(ents) != n {
		t.Errorf("%d files, want %d", len(ents), n)
	}
}

func TestDirWriteHostileNames(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "reports")
	names := []string{"../../x", "a/b", "a_b", ".", "..", "", "/etc/passwd", "x\x00y",
		strings.Repeat("ü", 150), strings.Repeat("n", 300)}
	for _, name := range names {
		r := sampleReport()
		r.ProcessName = name
		path, err := Dir{Path: dir}.Write(r)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if !inside(dir, path) || len(filepath.Base(path)) >= 255 {
			t.Errorf("%q: written to %q", name, path)
		}
	}
	// Each name got a file of its own, and nothing escaped the directory.
	checkOnlyReports(t, dir, len(names))
	ents, _ := os.ReadDir(root)
	if len(ents) != 1 {
		t.Errorf("files outside the crash directory: %v", ents)
	}
}

func TestDirWriteSameMillisecond(t *testing.T) {
	dir := t.TempDir()
	const n = 50
	paths := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := sampleReport()
			r.Pid = i
			paths[i], errs[i] = Dir{Path: dir}.Write(r)
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	pids := map[int]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if seen[paths[i]] {
			t.Fatalf("two reports at %s", paths[i])
		}
		seen[paths[i]] = true
		var r Report
		data, _ := os.ReadFile(paths[i])
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s: %v", paths[i], err)
		}
		pids[r.Pid] = true
	}
	if len(pids) != n {
		t.Fatalf("%d distinct reports on disk, want %d", len(pids), n)
	}
	if !seen[filepath.Join(dir, "api-20261125T174048.123Z-50.json")] {
		t.Errorf("suffixes do not run up to -50: %v", seen)
	}
	checkOnlyReports(t, dir, n)
}

func TestDirWriteDoesNotFollowSymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	planted := filepath.Join(dir, "api-20261125T174048.123Z.json")
	if err := os.Symlink(victim, planted); err != nil {
		t.Fatal(err)
	}
	path, err := Dir{Path: dir}.Write(sampleReport())
	if err != nil {
		t.Fatal(err)
	}
	if path == planted {
		t.Fatalf("wrote to the planted symlink")
	}
	if data, _ := os.ReadFile(victim); string(data) != "keep" {
		t.Fatalf("symlink target overwritten: %q", data)
	}
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("report %s is not a regular file: %v %v", path, fi, err)
	}
}

func TestDirWriteUnwritable(t *testing.T) {
	root := t.TempDir()
	blocker := filepath.Join(root, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{blocker, filepath.Join(blocker, "sub")} {
		path, err := Dir{Path: dir}.Write(sampleReport())
		if err == nil {
			t.Fatalf("Write to %s succeeded: %s", dir, path)
		}
		if !strings.Contains(err.Error(), `crash report "api"`) {
			t.Errorf("error lacks context: %v", err)
		}
		if !errors.Is(err, syscall.ENOTDIR) {
			t.Errorf("error does not wrap ENOTDIR: %v", err)
		}
	}
}

func TestDirWriteReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if path, err := (Dir{Path: dir}).Write(sampleReport()); err == nil {
		t.Fatalf("Write to a read-only directory succeeded: %s", path)
	}
}

func TestDirWriteNil(t *testing.T) {
	if _, err := (Dir{Path: t.TempDir()}).Write(nil); err == nil {
		t.Fatal("no error for a nil report")
	}
}
