package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/tui"
)

// eventsFlushInterval bounds how long an event may wait in the buffer.
const eventsFlushInterval = 50 * time.Millisecond

// eventsFile appends every event to a file as one JSON object per line
// (--events). Run drains a subscription on one goroutine; Close is called
// after Run returned.
type eventsFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
	line []byte // the encoding buffer, reused
	err  error  // the first write error
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

// Run writes what src delivers until it is done; each batch is flushed at
// most eventsFlushInterval after it arrived.
func (ef *eventsFile) Run(src tui.Source) { tui.Pump(src, ef, eventsFlushInterval) }

// WriteEvent encodes ev as one JSON line (SPEC §4; EventsDropped as
// {"type":"events:dropped","count":N}) through a reused buffer.
func (ef *eventsFile) WriteEvent(ev *engine.Event) {
	ef.line = append(ev.AppendJSON(ef.line[:0]), '\n')
	ef.w.Write(ef.line)
}

// Flush writes what is buffered; the first error is kept for Close.
func (ef *eventsFile) Flush() {
	if ef.w.Buffered() > 0 {
		ef.fail(ef.w.Flush())
	}
}

func (ef *eventsFile) fail(err error) {
	if err != nil && ef.err == nil {
		ef.err = fmt.Errorf("events file %s: %w", ef.path, err)
	}
}

// Close flushes and closes the file and reports the first error.
func (ef *eventsFile) Close() error {
	ef.Flush()
	ef.fail(ef.f.Close())
	return ef.err
}
