package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/tui"
)

// eventsFlushInterval bounds how long an event may wait in the buffer.
const eventsFlushInterval = 50 * time.Millisecond

// eventsFile appends every event to a file as one JSON object per line
// (--events). It is a record (docs/events.md): it never loses an event, and
// when the file fails it is detached at once (onFail) and written no more.
// Run drains a subscription on one goroutine; Close is called after Run
// returned.
type eventsFile struct {
	path   string
	f      *os.File
	w      *bufio.Writer
	line   []byte      // the encoding buffer, reused
	err    error       // the first write error
	onFail func(error) // called once, on Run's goroutine, with the first write error
}

// openEvents opens path for appending, without waiting: a FIFO must have
// its reader already (docs/cli.md), else the open fails at once instead of
// blocking the run before anything started.
func openEvents(path string) (*eventsFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_NONBLOCK, 0o600)
	if errors.Is(err, syscall.ENXIO) {
		return nil, fmt.Errorf("events file %s: a FIFO with no reader: start the reader first (e.g. jq . %s &)", path, path)
	}
	if err != nil {
		return nil, fmt.Errorf("events file: %w", err)
	}
	return &eventsFile{path: path, f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// attach subscribes the file to e as a record; a failing write detaches
// it, says so on stderr and makes the run fail (Engine.RecordFailed).
func (ef *eventsFile) attach(e *engine.Engine, stderr io.Writer) *engine.Subscription {
	sub := e.Subscribe(engine.SubscribeOptions{Record: true})
	ef.onFail = func(err error) {
		sub.Close()
		fmt.Fprintf(stderr, "ovrseer: %v; no longer written\n", err)
		e.RecordFailed("events file "+ef.path, errors.Unwrap(err))
	}
	return sub
}

// Run writes what src delivers until it is done; each batch is flushed at
// most eventsFlushInterval after it arrived.
func (ef *eventsFile) Run(src tui.Source) { tui.Pump(src, ef, eventsFlushInterval) }

// WriteEvent encodes ev as one JSON line (docs/events.md; EventsDropped as
// {"type":"events:dropped","count":N}) through a reused buffer.
func (ef *eventsFile) WriteEvent(ev *engine.Event) {
	if ef.err != nil {
		return
	}
	ef.line = append(ev.AppendJSON(ef.line[:0]), '\n')
	if _, err := ef.w.Write(ef.line); err != nil {
		ef.fail(err)
	}
}

// Flush writes what is buffered.
func (ef *eventsFile) Flush() {
	if ef.err == nil && ef.w.Buffered() > 0 {
		ef.fail(ef.w.Flush())
	}
}

// fail keeps the first error and reports it through onFail.
func (ef *eventsFile) fail(err error) {
	if err == nil || ef.err != nil {
		return
	}
	ef.err = fmt.Errorf("events file %s: %w", ef.path, err)
	if ef.onFail != nil {
		ef.onFail(ef.err)
	}
}

// Failed reports whether a write or the close failed.
func (ef *eventsFile) Failed() bool { return ef.err != nil }

// Close flushes and closes the file and reports the first error not
// already reported through onFail.
func (ef *eventsFile) Close() error {
	reported := ef.err != nil && ef.onFail != nil
	ef.onFail = nil // the run is over: the caller reports what fails now
	ef.Flush()
	if err := ef.f.Close(); err != nil && ef.err == nil {
		ef.err = fmt.Errorf("events file %s: %w", ef.path, err)
	}
	if reported {
		return nil
	}
	return ef.err
}
