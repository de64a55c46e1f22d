package unit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// spawnError is err, from starting the process of spec, with what to do
// about it: the usual causes are a command that is not installed, a file
// that is not executable and a dir that does not exist.
func spawnError(spec Spec, err error) error {
	var hint string
	switch {
	case errors.Is(err, exec.ErrNotFound):
		hint = "install it, or fix cmd"
	case errors.Is(err, syscall.EACCES):
		hint = fmt.Sprintf("make %s executable (chmod +x), or fix cmd", spec.Argv[0])
	case errors.Is(err, fs.ErrNotExist) && !dirExists(spec.Dir):
		hint = fmt.Sprintf("dir %s does not exist: create it, or fix dir", spec.Dir)
	case errors.Is(err, fs.ErrNotExist) && (filepath.IsAbs(spec.Argv[0]) || spec.Dir == ""):
		hint = fmt.Sprintf("no file %s: build it first, or fix cmd", spec.Argv[0])
	case errors.Is(err, fs.ErrNotExist):
		hint = fmt.Sprintf("no file %s (relative to dir %s): build it first, or fix cmd", spec.Argv[0], spec.Dir)
	default:
		return err
	}
	return fmt.Errorf("%w (%s)", err, hint)
}

func dirExists(dir string) bool {
	if dir == "" {
		return true
	}
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}
