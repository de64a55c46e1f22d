package tui

import (
	"bufio"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ovrseer/ovrseer/engine"
)

// Source is the event stream a printer drains. *engine.Subscription
// satisfies it.
type Source interface {
	Ready() <-chan struct{}
	Done() <-chan struct{}
	Take(dst []engine.Event) []engine.Event
}

// HeadlessOptions configure a Headless printer. The zero value prints
// without colour, padding or summary.
type HeadlessOptions struct {
	// Names are the declared process names, in declaration order: they set
	// the padding width and the colour of each process.
	Names []string
	// Color turns on ANSI colour for name prefixes and ovrseer's own lines.
	Color bool
	// Snapshot, when set, is called after lifecycle:exit for the final
	// summary.
	Snapshot func() []engine.ProcessStatus
	// OnWriteError is called once, from Run's goroutine, when writing fails
	// (a closed pipe); everything after that is discarded.
	OnWriteError func(error)
	// FlushInterval bounds how long written lines may wait in the buffer
	// while more keep arriving; 0 means 50 ms.
	FlushInterval time.Duration
}

// Headless prints events as `name | line` (SPEC §8), buffered and flushed
// once per batch, never more than FlushInterval after a line arrived.
type Headless struct {
	opts      HeadlessOptions
	out       *guardWriter
	w         *bufio.Writer
	width     int
	prefixes  map[string][]byte // process name -> rendered "name | " prefix
	lastName  string            // a one-entry cache in front of prefixes:
	lastPre   []byte            // runs of lines from one process skip the map
	sys       []byte            // rendered "ovrseer | " prefix
	lastFlush time.Time
	exitCode  *int                   // from lifecycle:exit, printed when the stream ends
	batch     []engine.Event         // Take's reused batch for a plain Source
	eachFn    func(ev *engine.Event) // h.each, made once
}

const writeBuffer = 128 << 10

// NewHeadless returns a printer writing to w.
func NewHeadless(w io.Writer, opts HeadlessOptions) *Headless {
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = 50 * time.Millisecond
	}
	out := &guardWriter{w: w, onErr: opts.OnWriteError}
	h := &Headless{
		opts:     opts,
		out:      out,
		w:        bufio.NewWriterSize(out, writeBuffer),
		width:    utf8.RuneCountInString("ovrseer"),
		prefixes: make(map[string][]byte, len(opts.Names)+1),
	}
	for _, n := range opts.Names {
		h.width = max(h.width, utf8.RuneCountInString(n))
	}
	for i, n := range opts.Names {
		h.prefixes[n] = h.render(n, processPalette[i%len(processPalette)])
	}
	h.sys = h.render("ovrseer", sgrBold)
	h.eachFn = h.each
	return h
}

// EachSource is a Source that can also hand its events over one at a time
// with no batch in between (*engine.Subscription.Each); Headless uses it
// when it can, so a flood costs no memory beyond the source's queue.
type EachSource interface {
	Source
	Each(f func(ev *engine.Event))
}

// Run drains src until it is done, printing every event, and returns after
// the last byte was flushed (or discarded after a write error).
func (h *Headless) Run(src Source) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var timerC <-chan time.Time
	for {
		select {
		case <-src.Ready():
		case <-timerC:
			timerC = nil
			h.flush()
			continue
		case <-src.Done():
			h.take(src)
			if h.exitCode != nil && !h.out.failed {
				h.Summary()
			}
			h.flush()
			return
		}
		h.take(src)
		if wait := h.flushDue(); wait > 0 && timerC == nil {
			timer.Reset(wait)
			timerC = timer.C
		}
	}
}

// flushDue flushes when the last flush is at least FlushInterval old and
// otherwise returns how long until it will be.
func (h *Headless) flushDue() time.Duration {
	if h.w.Buffered() == 0 {
		return 0
	}
	since := time.Since(h.lastFlush)
	if since >= h.opts.FlushInterval {
		h.flush()
		return 0
	}
	return h.opts.FlushInterval - since
}

func (h *Headless) flush() {
	h.w.Flush() // errors are absorbed by guardWriter
	h.lastFlush = time.Now()
}

// take prints what src has waiting.
func (h *Headless) take(src Source) {
	if es, ok := src.(EachSource); ok {
		es.Each(h.eachFn)
		return
	}
	h.batch = src.Take(h.batch[:0])
	h.handle(h.batch)
	clear(h.batch) // let the lines be collected while we wait
}

// each prints one event unless writing failed.
func (h *Headless) each(ev *engine.Event) {
	if !h.out.failed {
		h.event(ev)
	}
}

func (h *Headless) handle(batch []engine.Event) {
	if h.out.failed {
		return
	}
	for i := range batch {
		h.event(&batch[i])
	}
}

// prefix returns the rendered prefix of a process, rendering (and keeping)
// one for names that were not declared, such as "hook:migrate".
func (h *Headless) prefix(name string) []byte {
	if name == h.lastName && h.lastPre != nil {
		return h.lastPre
	}
	if p, ok := h.prefixes[name]; ok {
		h.lastName, h.lastPre = name, p
		return p
	}
	color := hookColor
	if !strings.HasPrefix(name, "hook:") {
		color = processPalette[len(h.prefixes)%len(processPalette)]
	}
	p := h.render(name, color)
	h.prefixes[name] = p
	return p
}

// render builds "name<pad> | " with the name in color when colour is on.
func (h *Headless) render(name, color string) []byte {
	var b strings.Builder
	if h.opts.Color {
		b.WriteString(color)
	}
	b.WriteString(name)
	if pad := h.width - utf8.RuneCountInString(name); pad > 0 {
		b.WriteString(strings.Repeat(" ", pad))
	}
	b.WriteString(" |")
	if h.opts.Color {
		b.WriteString(sgrReset)
	}
	b.WriteByte(' ')
	return []byte(b.String())
}

// guardWriter turns the first write error into a call of onErr and
// discards everything after it, so a closed pipe ends output quietly.
type guardWriter struct {
	w      io.Writer
	onErr  func(error)
	failed bool
}

func (g *guardWriter) Write(p []byte) (int, error) {
	if g.failed {
		return len(p), nil
	}
	if _, err := g.w.Write(p); err != nil {
		g.failed = true
		if g.onErr != nil {
			g.onErr(err)
		}
	}
	return len(p), nil
}
