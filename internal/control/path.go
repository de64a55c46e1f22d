package control

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// maxSocketPath is the longest socket path a sockaddr_un holds (108 bytes
// with the terminating NUL).
const maxSocketPath = 107

// Paths are where a run for one Ovrfile keeps its socket and lock.
type Paths struct {
	Ovrfile string // the Ovrfile's real path (symlinks resolved)
	Dir     string // the private directory holding both
	Socket  string // Dir/H.sock
	Lock    string // Dir/H.lock
}

// Key is the 16 hex digits of SHA-256 of the Ovrfile's real path that name
// its socket and lock.
func Key(realPath string) string {
	sum := sha256.Sum256([]byte(realPath))
	return hex.EncodeToString(sum[:8])
}

// RealPath resolves an Ovrfile path to the absolute path, symlinks
// resolved, that identifies its stack.
func RealPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("control: %w", err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("control: %w", err)
	}
	return real, nil
}

// Candidates returns the places a run for the Ovrfile at realPath may
// listen, the preferred first: $XDG_RUNTIME_DIR/ovrseer, then
// /tmp/ovrseer-UID. The runtime directory is left out when it is unset or
// the socket path there would be too long.
func Candidates(realPath string, getenv func(string) string) []Paths {
	h := Key(realPath)
	var dirs []string
	if rt := getenv("XDG_RUNTIME_DIR"); rt != "" && filepath.IsAbs(rt) {
		dir := filepath.Join(rt, "ovrseer")
		if len(filepath.Join(dir, h+".sock")) <= maxSocketPath {
			dirs = append(dirs, dir)
		}
	}
	dirs = append(dirs, filepath.Join("/tmp", "ovrseer-"+strconv.Itoa(os.Getuid())))
	out := make([]Paths, len(dirs))
	for i, d := range dirs {
		out[i] = Paths{Ovrfile: realPath, Dir: d,
			Socket: filepath.Join(d, h+".sock"), Lock: filepath.Join(d, h+".lock")}
	}
	return out
}

// ErrUnsafeDir is returned when the socket directory exists but is not a
// directory of this user with mode 0700.
var ErrUnsafeDir = errors.New("not a private directory")

// ensureDir creates dir with mode 0700, or checks that the existing one is
// a real directory (not a symlink) owned by this user with mode 0700.
func ensureDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err == nil {
		return os.Chmod(dir, 0o700) // whatever the umask
	} else if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("control: socket directory: %w", err)
	}
	return checkDir(dir)
}

// checkDir checks an existing socket directory with lstat.
func checkDir(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("control: socket directory: %w", err)
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	switch {
	case !info.IsDir():
		return fmt.Errorf("control: socket directory %s: %w (it is a %v)", dir, ErrUnsafeDir, info.Mode().Type())
	case !ok || int(st.Uid) != os.Getuid():
		return fmt.Errorf("control: socket directory %s: %w (owned by uid %d, not %d)", dir, ErrUnsafeDir, st.Uid, os.Getuid())
	case info.Mode().Perm() != 0o700:
		return fmt.Errorf("control: socket directory %s: %w (mode %#o, want 0700)", dir, ErrUnsafeDir, info.Mode().Perm())
	}
	return nil
}
