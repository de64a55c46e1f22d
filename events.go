package main

import (
	"bufio"
	"fmt"
	"os"
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
	path      string
	f         *os.File
	w         *bufio.Writer
	line      []byte // the encoding buffer, reused
	err       error  // the first write error
	lastFlush time.Time
}

func openEvents(path string) (*eventsFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("events file: %w", err)
	}
	return &eventsFile{path: path, f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Run writes what src delivers until it is done; each batch is flushed at
// most eventsFlushInterval after it arrived.
func (ef *eventsFile) Run(src tui.Source) {
	var batch []engine.Event
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var timerC <-chan time.Time
	for {
		select {
		case <-src.Ready():
		case <-timerC:
			timerC = nil
			ef.flush()
			continue
		case <-src.Done():
			ef.write(src.Take(batch[:0]))
			ef.flush()
			return
		}
		batch = src.Take(batch[:0])
		ef.write(batch)
		clear(batch)
		if since := time.Since(ef.lastFlush); since >= eventsFlushInterval {
			ef.flush()
		} else if timerC == nil {
			timer.Reset(eventsFlushInterval - since)
			timerC = timer.C
		}
	}
}

// write encodes each event as one JSON line (SPEC §4; EventsDropped as
// {"type":"events:dropped","count":N}) into a reused buffer.
func (ef *eventsFile) write(batch []engine.Event) {
	for i := range batch {
		ef.line = append(batch[i].AppendJSON(ef.line[:0]), '\n')
		ef.w.Write(ef.line)
	}
}

func (ef *eventsFile) flush() {
	if ef.w.Buffered() > 0 {
		ef.fail(ef.w.Flush())
	}
	ef.lastFlush = time.Now()
}

func (ef *eventsFile) fail(err error) {
	if err != nil && ef.err == nil {
		ef.err = fmt.Errorf("events file %s: %w", ef.path, err)
	}
}

// Close flushes and closes the file and reports the first error.
func (ef *eventsFile) Close() error {
	ef.flush()
	ef.fail(ef.f.Close())
	return ef.err
}
