package crashrep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// maxCollisions bounds the -2, -3, ... suffixes tried for one timestamp.
const maxCollisions = 10000

// Dir writes each report atomically as {Path}/{name}-{timestamp}.json.
//
// The directory is created with mode 0700 when missing (an existing one is
// left as it is); reports are 0600. A report is written to a temporary file
// in the same directory (O_EXCL|O_NOFOLLOW), synced, then hard-linked to its
// final name, which never replaces an existing file or follows a symlink;
// when the name is taken, "-2", "-3", ... are tried. The directory is synced
// last.
type Dir struct {
	Path string
}

// Write implements Sink. It returns the path of the new report.
func (d Dir) Write(r *Report) (string, error) {
	if r == nil {
		return "", errors.New("crash report: nil report")
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", fmt.Errorf("crash report %q: encode: %w", r.ProcessName, err)
	}
	data = append(data, '\n')
	if err := os.MkdirAll(d.Path, 0o700); err != nil {
		return "", fmt.Errorf("crash report %q: %w", r.ProcessName, err)
	}
	tmp, err := writeTemp(d.Path, data)
	if err != nil {
		return "", fmt.Errorf("crash report %q: %w", r.ProcessName, err)
	}
	defer os.Remove(tmp)
	path, err := claim(tmp, d.Path, safeName(r.ProcessName), r)
	if err != nil {
		return "", fmt.Errorf("crash report %q: %w", r.ProcessName, err)
	}
	if err := syncDir(d.Path); err != nil {
		return path, fmt.Errorf("crash report %q: %w", r.ProcessName, err)
	}
	return path, nil
}

// writeTemp writes data to a new, synced, 0600 file in dir and returns its
// path.
func writeTemp(dir string, data []byte) (string, error) {
	const flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL | syscall.O_NOFOLLOW
	for range 100 {
		path := filepath.Join(dir, ".tmp-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(path, flags, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(data)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("no free temporary name in %s", dir)
}

// claim gives the temporary file tmp the first free final name and returns
// it. A hard link fails rather than replace an existing file or symlink, so
// concurrent writers each get their own name.
func claim(tmp, dir, safe string, r *Report) (string, error) {
	for n := 1; n <= maxCollisions; n++ {
		path := filepath.Join(dir, fileName(safe, r.Timestamp, n))
		err := os.Link(tmp, path)
		if err == nil {
			return path, nil
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if !linkUnsupported(err) {
			return "", err
		}
		// No hard links here: reserve the name, then move over our own
		// placeholder. A reader may briefly see an empty file.
		err = reserve(path)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil {
			err = os.Rename(tmp, path)
		}
		if err != nil {
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("%d reports with the same name and time", maxCollisions)
}

func linkUnsupported(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOTSUP) ||
		errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.EXDEV)
}

func reserve(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) { // some file systems cannot sync a directory
		return nil
	}
	return err
}
