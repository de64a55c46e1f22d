package starlib

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// readSource reads an Ovrfile or a loaded library: only a regular file of
// at most maxFileSize bytes. It opens without blocking (a FIFO would wait
// for a writer) and checks the opened file, so what is checked is what is
// read. The returned error names the file as display.
func readSource(abs, display string) ([]byte, error) {
	f, err := os.OpenFile(abs, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notExistError(display)
	} else if err != nil {
		return nil, fmt.Errorf("read %s: %w", display, unwrapPath(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", display, unwrapPath(err))
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", display, fileKind(info.Mode()))
	}
	if info.Size() > maxFileSize {
		return nil, fmt.Errorf("%s is %d bytes, more than the limit of 1 MB", display, info.Size())
	}
	src, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", display, unwrapPath(err))
	}
	if len(src) > maxFileSize { // it grew while we read
		return nil, fmt.Errorf("%s is more than the limit of 1 MB", display)
	}
	return src, nil
}

func unwrapPath(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}

// fileKind names what a non-regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return strings.TrimSpace(m.Type().String())
}

// notExistError is a missing file; errors.Is(err, fs.ErrNotExist) holds.
type notExistError string

func (e notExistError) Error() string { return string(e) + " does not exist" }
func (e notExistError) Unwrap() error { return fs.ErrNotExist }
