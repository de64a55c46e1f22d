package logfile

import (
	"gopkg.in/natefinch/lumberjack.v2"
)

// flushAt is the size of a file's pending lines that is written at once,
// without waiting for Flush.
const flushAt = 64 << 10

// file is one log file: lines wait in pending and go to the rotating
// logger in whole lines, so a rotation never splits one. After the first
// error the file is failed and writes nothing more.
type file struct {
	path    string
	lj      *lumberjack.Logger
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
// destination is reported at the start of the run.
func (f *file) open() {
	if _, err := f.lj.Write(nil); err != nil {
		f.fail(err)
	}
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
	_, err := f.lj.Write(f.pending)
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
	if err := f.lj.Close(); err != nil {
		f.fail(err)
	}
}
