package starlib

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// load() reads only regular .star files of at most 1 MB, and // paths stay
// inside the project: /dev/zero, a FIFO, /etc/passwd, a huge file and
// //../ are each a load error naming the load statement, and nothing hangs.
func TestLoadReadsOnlyStarFiles(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "proj")
	mustMkdir(t, filepath.Join(proj, "lib", "dir.star"))
	if err := syscall.Mkfifo(filepath.Join(proj, "lib", "fifo.star"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(proj, "lib", "zero.star")); err != nil {
		t.Fatal(err)
	}
	big := "x = 1\n" + strings.Repeat("#", maxFileSize)
	mustWrite(t, filepath.Join(proj, "lib", "big.star"), big)
	mustWrite(t, filepath.Join(dir, "outside.star"), "x = 1\n")
	cases := []struct{ load, want string }{
		{"../../../../../../../dev/zero", `bad load path "../../../../../../../dev/zero": only .star files are loaded`},
		{"../../../../../../../etc/passwd", `bad load path "../../../../../../../etc/passwd": only .star files are loaded`},
		{"./lib/fifo.star", `lib/fifo.star is not a regular file (a FIFO)`},
		{"./lib/zero.star", `lib/zero.star is not a regular file (a character device)`},
		{"//lib/big.star", `lib/big.star is 1048582 bytes, more than the limit of 1 MB`},
		{"//lib/dir.star", `lib/dir.star is not a regular file (a directory)`},
		{"//../outside.star", `bad load path "//../outside.star": it leaves `},
		{"./../outside.star", ""}, // relative to the loading file: allowed
	}
	for _, c := range cases {
		top := filepath.Join(proj, "Ovrfile.star")
		mustWrite(t, top, "load(\""+c.load+"\", \"x\")\n")
		done := make(chan error, 1)
		go func() {
			_, err := Load(top, testOpts())
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("load(%q) hung", c.load)
		}
		if c.want == "" {
			if err != nil {
				t.Errorf("load(%q): %v", c.load, err)
			}
			continue
		}
		prefix := "Ovrfile.star:1:1: cannot load " + c.load + ": "
		if err == nil || !strings.Contains(err.Error(), prefix) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("load(%q): got %v, want %q ... %q", c.load, err, prefix, c.want)
		}
	}
}

// The top-level file is held to the same rules (but may be named anything).
func TestLoadTopLevelIsARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "Ovrfile.star")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(fifo, testOpts())
	if err == nil || !strings.Contains(err.Error(), "is not a regular file (a FIFO)") {
		t.Fatalf("got %v, want a FIFO refused", err)
	}
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	mustMkdir(t, filepath.Dir(path))
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
