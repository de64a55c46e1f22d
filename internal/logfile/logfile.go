// Package logfile appends the run's lines to log files (docs/ovrfile.md,
// "Log files"): each process's lines to its own file, ovrseer's own lines
// and hook output to ovrseer.log, as text or JSON lines, rotated by size
// (gopkg.in/natefinch/lumberjack.v2). A Writer is a record: it is fed
// every event of a lossless engine subscription on one goroutine (through
// tui.Pump) and never drops a line; a file whose writes fail is reported
// once through OnError and written no more, so a failing disk never blocks
// the run.
package logfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/tui"
)

// Defaults of the settings.
const (
	DefaultMaxSize  = 50 // MiB
	DefaultMaxFiles = 3
	SystemLog       = "ovrseer.log" // ovrseer's own lines, in Options.Dir
)

// Options say where lines go.
type Options struct {
	Dir      string            // settings(log_dir): ovrseer.log goes here; "" for none
	Files    map[string]string // process name -> its log file (absolute)
	Format   Format
	MaxSize  int // MiB before a file is rotated; 0 means DefaultMaxSize
	MaxFiles int // rotated files kept; 0 means DefaultMaxFiles
	// OnError is called once per file with its first error (it could not be
	// created, or a write failed), on the goroutine that feeds the Writer.
	OnError func(path string, err error)
}

// Writer writes events to the log files. It is a tui.EventWriter; its
// methods are called from one goroutine.
type Writer struct {
	opts   Options
	files  map[string]*file // by process name
	all    []*file          // each file once, in a stable order
	sys    *file            // ovrseer.log, or nil
	sysOut *tui.Headless    // renders ovrseer's own lines into sysSink
	sysEv  *engine.Event    // the event being rendered
	opened bool
	stamp  stamp

	lastName string // a one-entry cache in front of files
	lastFile *file

	mu     sync.Mutex // guards staged (reload.go)
	staged []*fileSet
}

// New returns a Writer for opts; files are opened at the first event.
func New(opts Options) *Writer {
	if opts.MaxSize <= 0 {
		opts.MaxSize = DefaultMaxSize
	}
	if opts.MaxFiles <= 0 {
		opts.MaxFiles = DefaultMaxFiles
	}
	w := &Writer{opts: opts, files: make(map[string]*file, len(opts.Files))}
	byPath := map[string]*file{}
	get := func(path string) *file {
		if f := byPath[path]; f != nil {
			return f
		}
		f := newFile(path, opts.MaxSize, opts.MaxFiles, opts.OnError)
		byPath[path] = f
		w.all = append(w.all, f)
		return f
	}
	if opts.Dir != "" {
		w.sys = get(filepath.Join(opts.Dir, SystemLog))
		w.sysOut = tui.NewHeadless(sysSink{w}, tui.HeadlessOptions{})
	}
	for _, name := range sortedKeys(opts.Files) {
		w.files[name] = get(opts.Files[name])
	}
	return w
}

// open creates the directories (0700) and files (0600) of the run, so an
// unwritable destination is reported at once rather than at its first line.
func (w *Writer) open() {
	w.opened = true
	for _, f := range w.all {
		w.openFile(f)
	}
}

// OpenSpecial opens now every file that is not a regular file (a FIFO),
// and returns an error naming each FIFO that has no reader (NoReaderError)
// so that the run can refuse to start; regular files are opened at the
// first event. Opening never blocks, now or later.
func (w *Writer) OpenSpecial() error {
	var errs []error
	for _, f := range w.all {
		if err := f.openSpecial(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (w *Writer) openFile(f *file) {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		f.fail(err)
		return
	}
	f.open()
}

// WriteEvent appends ev to the file it belongs to (tui.EventWriter): a
// process's line to that process's file, a hook's line and every other
// event (as the headless output says it) to ovrseer.log.
func (w *Writer) WriteEvent(ev *engine.Event) {
	if !w.opened {
		w.open()
	}
	if ev.Type != engine.ProcessLog {
		if ev.Type == engine.LifecycleReload {
			w.reloaded()
		}
		w.system(ev)
		return
	}
	f := w.file(ev.Process)
	switch {
	case f != nil:
		if !f.failed {
			f.commit(w.opts.Format.appendLine(f.buf(), &w.stamp, ev, ev.Process, ev.Stream, ev.Stream, ev.Line))
		}
	case w.sys != nil && !w.sys.failed && strings.HasPrefix(ev.Process, "hook:"):
		w.sys.commit(w.opts.Format.appendLine(w.sys.buf(), &w.stamp, ev, ev.Process, ev.Stream, ev.Process, ev.Line))
	}
}

func (w *Writer) file(name string) *file {
	if name != w.lastName || w.lastFile == nil {
		w.lastName, w.lastFile = name, w.files[name]
	}
	return w.lastFile
}

// system writes ovrseer's own lines for ev to ovrseer.log.
func (w *Writer) system(ev *engine.Event) {
	if w.sys == nil || w.sys.failed {
		return
	}
	if ev.Type == engine.LifecycleExit && ev.ExitCode != nil {
		w.sys.commit(w.opts.Format.appendLine(w.sys.buf(), &w.stamp, ev, "ovrseer", "ovrseer", "ovrseer", fmt.Sprintf("exit %d", *ev.ExitCode)))
		return
	}
	w.sysEv = ev
	w.sysOut.WriteEvent(ev)
	w.sysOut.Flush() // into sysSink, which writes the lines to ovrseer.log
	w.sysEv = nil
}

// sysSink receives the headless printer's "ovrseer | text" lines and
// writes each as a line of ovrseer.log.
type sysSink struct{ w *Writer }

func (s sysSink) Write(p []byte) (int, error) {
	w := s.w
	for line := range strings.SplitSeq(strings.TrimSuffix(string(p), "\n"), "\n") {
		text, ok := strings.CutPrefix(line, "ovrseer | ")
		if !ok || w.sysEv == nil {
			continue
		}
		w.sys.commit(w.opts.Format.appendLine(w.sys.buf(), &w.stamp, w.sysEv, "ovrseer", "ovrseer", "ovrseer", text))
	}
	return len(p), nil
}

// Flush writes every file's pending lines (tui.EventWriter).
func (w *Writer) Flush() {
	for _, f := range w.all {
		f.flush()
	}
}

// Close flushes and closes every file.
func (w *Writer) Close() {
	for _, f := range w.all {
		f.close()
	}
}

// AllFailed reports whether no file is written any more.
func (w *Writer) AllFailed() bool {
	for _, f := range w.all {
		if !f.failed {
			return false
		}
	}
	return true
}

// Paths returns every file the Writer writes, for messages.
func (w *Writer) Paths() []string {
	out := make([]string, len(w.all))
	for i, f := range w.all {
		out[i] = f.path
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
