package logfile

import (
	"errors"
	"io"

	"gopkg.in/natefinch/lumberjack.v2"
)

// flushAt is the size of a file's pending lines that is written at once,
// without waiting for Flush.
const flushAt = 64 << 10

// file is one log file: lines wait in pending and go to the rotating
// logger in whole lines, so a rotation never splits one. A file that is
// not a regular one (a FIFO) is written as it is instead (special.go).
// After the first error the file is failed and writes nothing more.
type file struct {
	path    string
	lj      *lumberjack.Logger
	out     io.WriteCloser // lj, or the special file; nil until opened
	pending []byte
	failed  bool
	onError func(path string, err error)
}

func newFile(path string, maxSizeMiB, maxFiles int, onError func(string, error)) *file {
	return &file{
		path:    path,
		lj:      &lumberjack.Logger{Filename: path, MaxSize: maxSizeMiB, MaxBackups: maxFiles},
		pending: make([]byte, 0, flushAt+4096),
		onError: onError,
	}
}

// open opens (or creates, 0600) the file now, so that an unwritable
// destination is reported at the start of the run. It never blocks: a FIFO
// without a reader fails with NoReaderError.
func (f *file) open() {
	if f.out != nil || f.failed {
		return
	}
	special, err := openSpecial(f.path)
	switch {
	case err != nil:
		f.fail(err)
		return
	case special != nil:
		f.out = special
		return
	}
	f.out = f.lj
	if _, err := f.lj.Write(nil); err != nil {
		f.fail(err)
	}
}

// openSpecial opens the file now when it is not a regular file (see
// openSpecial); a FIFO without a reader is returned as NoReaderError.
func (f *file) openSpecial() error {
	if f.out != nil {
		return nil
	}
	special, err := openSpecial(f.path)
	if special != nil {
		f.out = special
	}
	var noReader *NoReaderError
	if errors.As(err, &noReader) {
		return err
	}
	return nil // any other error is reported when the file is opened
}

// buf returns the pending buffer to append one line to; commit takes it
// back.
func (f *file) buf() []byte { return f.pending }

func (f *file) commit(b []byte) {
	f.pending = b
	if len(b) >= flushAt {
		f.flush()
	}
}

// flush writes the pending lines.
func (f *file) flush() {
	if len(f.pending) == 0 || f.failed {
		f.pending = f.pending[:0]
		return
	}
	if f.out == nil {
		f.open()
		if f.failed {
			f.pending = f.pending[:0]
			return
		}
	}
	_, err := f.out.Write(f.pending)
	f.pending = f.pending[:0]
	if err != nil {
		f.fail(err)
	}
}

func (f *file) fail(err error) {
	if f.failed {
		return
	}
	f.failed = true
	if f.onError != nil {
		f.onError(f.path, err)
	}
}

func (f *file) close() {
	f.flush()
	if f.out == nil {
		return
	}
	if err := f.out.Close(); err != nil {
		f.fail(err)
	}
}
