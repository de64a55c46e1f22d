package tui

import (
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// Source is an event stream: *engine.Subscription.
type Source interface {
	Ready() <-chan struct{}
	Done() <-chan struct{}
	Take(dst []engine.Event) []engine.Event
}

// EachSource is a Source that can also hand its events over one at a time
// with no batch in between (*engine.Subscription.Each); Pump uses it when it
// can, so a flood costs no memory beyond the source's queue.
type EachSource interface {
	Source
	Each(f func(ev *engine.Event))
}

// EventWriter is what Pump feeds: WriteEvent buffers one event, Flush
// writes what is buffered.
type EventWriter interface {
	WriteEvent(ev *engine.Event)
	Flush()
}

// Pump feeds w every event of src, in order, on the calling goroutine until
// src is done, then flushes a last time and returns. It flushes after a
// batch when the last flush is at least interval old, and otherwise within
// interval: never one write per event, never later than interval.
func Pump(src Source, w EventWriter, interval time.Duration) {
	p := pump{src: src, w: w, write: w.WriteEvent}
	if es, ok := src.(EachSource); ok {
		p.each = es
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var timerC <-chan time.Time
	lastFlush := time.Now()
	flush := func() {
		w.Flush()
		lastFlush = time.Now()
	}
	for {
		select {
		case <-src.Ready():
		case <-timerC:
			timerC = nil
			flush()
			continue
		case <-src.Done():
			p.take()
			flush()
			return
		}
		p.take()
		if since := time.Since(lastFlush); since >= interval {
			flush()
		} else if timerC == nil {
			timer.Reset(interval - since)
			timerC = timer.C
		}
	}
}

// pump takes what a source has waiting.
type pump struct {
	src   Source
	each  EachSource // src, when it can hand events over one at a time
	w     EventWriter
	write func(ev *engine.Event) // w.WriteEvent, made once
	batch []engine.Event         // Take's reused batch for a plain Source
}

func (p *pump) take() {
	if p.each != nil {
		p.each.Each(p.write)
		return
	}
	p.batch = p.src.Take(p.batch[:0])
	for i := range p.batch {
		p.w.WriteEvent(&p.batch[i])
	}
	clear(p.batch) // let the lines be collected while we wait
}
