package logfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// NoReaderError is a log file that is a FIFO nobody reads: opening it for
// writing would block until a reader comes, so it is refused instead.
type NoReaderError struct{ Path string }

func (e *NoReaderError) Error() string {
	return fmt.Sprintf("log file %s: a FIFO with no reader: start the reader first (e.g. cat %s &)", e.Path, e.Path)
}

// openSpecial opens path when it exists and is not a regular file (a FIFO,
// a terminal, /dev/null): such a file is written as it is and never
// rotated. It is opened non-blocking, so a FIFO without a reader fails at
// once (NoReaderError) instead of blocking the run; the runtime's poller
// then waits for a slow reader without blocking a thread. It returns nil
// and no error for a regular file or a path that does not exist (the
// rotating logger creates it).
func openSpecial(path string) (io.WriteCloser, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|syscall.O_NONBLOCK, 0)
	switch {
	case errors.Is(err, syscall.ENXIO):
		return nil, &NoReaderError{Path: path}
	case errors.Is(err, os.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Mode().IsRegular() {
		f.Close()
		return nil, nil
	}
	return f, nil
}
