package main

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/logfile"
	"github.com/ovrseer/ovrseer/tui"
)

// logFlushInterval bounds how long a line waits before it is in its file.
const logFlushInterval = 200 * time.Millisecond

// logFiles writes the run's log files (docs/ovrfile.md, "Log files"). It is
// a record: every line reaches its file; a file that cannot be written is
// reported once (stderr and lifecycle:error), written no more, and makes the
// run fail, while the run goes on.
type logFiles struct {
	w      *logfile.Writer
	onErr  func(path string, err error) // set by attach
	failed atomic.Bool
}

// newLogFiles returns nil when the plan writes no log file.
func newLogFiles(plan engine.Plan) *logFiles {
	files := filesOf(plan)
	s := plan.Settings
	if s.LogDir == "" && len(files) == 0 {
		return nil
	}
	return logFilesFor(s, files)
}

// logFilesFor returns the log files of the settings s (ovrseer.log in its
// log_dir, if any) and the process files files.
func logFilesFor(s engine.Settings, files map[string]string) *logFiles {
	format, _ := logfile.ParseFormat(s.LogFormat) // validated when the Ovrfile loaded
	l := &logFiles{}
	l.w = logfile.New(logfile.Options{Dir: s.LogDir, Files: files, Format: format,
		MaxSize: s.LogMaxSize, MaxFiles: s.LogMaxFiles, OnError: func(path string, err error) { l.onErr(path, err) }})
	return l
}

// check opens the files that are not regular files (FIFOs) before the run
// starts: one without a reader is an error that names it and the fix
// (logfile.NoReaderError), as for --events.
func (l *logFiles) check() error { return l.w.OpenSpecial() }

// attach subscribes the log files to e as a record. A file that fails is
// written no more (the others go on); once every file failed, the record is
// closed, so it never holds a process back again.
func (l *logFiles) attach(e *engine.Engine, stderr io.Writer) *engine.Subscription {
	sub := e.Subscribe(engine.SubscribeOptions{Record: true})
	l.onErr = func(path string, err error) {
		l.failed.Store(true)
		if l.w.AllFailed() {
			sub.Close()
		}
		fmt.Fprintf(stderr, "ovrseer: log file %s: %v; no longer written\n", path, err)
		e.RecordFailed("log file "+path, err)
	}
	return sub
}

// filesOf maps each process of plan that has a log file to it.
func filesOf(plan engine.Plan) map[string]string {
	files := map[string]string{}
	for _, p := range plan.Processes {
		if p.LogFile != "" {
			files[p.Name] = p.LogFile
		}
	}
	return files
}

// stage hands the files of a reloaded plan to the writer: they apply at
// the reload's lifecycle:reload event (logfile.Writer.Stage).
func (l *logFiles) stage(plan engine.Plan) (unstage func()) { return l.w.Stage(filesOf(plan)) }

// Run writes what src delivers until it is done, then closes the files.
func (l *logFiles) Run(src tui.Source) {
	tui.Pump(src, l.w, logFlushInterval)
	l.w.Close()
}

// Failed reports whether a file could not be written.
func (l *logFiles) Failed() bool { return l.failed.Load() }
