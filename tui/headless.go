package tui

import (
	"bufio"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ovrseer/ovrseer/engine"
)

// HeadlessOptions configure a Headless printer. The zero value prints
// without colour, padding or summary.
type HeadlessOptions struct {
	// Names are the declared process names, in declaration order: they set
	// the padding width and the colour of each process.
	Names []string
	// Color turns on ANSI colour for name prefixes and ovrseer's own lines.
	Color bool
	// ExitWith names the exit_with process: its exit is the run's result
	// and is written as such.
	ExitWith string
	// Raw writes child text as it came. By default it is made safe for a
	// terminal first (ansi.AppendSafe): colours kept, every other escape
	// sequence and control byte written as a visible escape.
	Raw bool
	// Snapshot, when set, is called after lifecycle:exit for the final
	// summary.
	Snapshot func() []engine.ProcessStatus
	// OnWriteError is called once, from Run's goroutine, when writing fails
	// (a closed pipe, a full disk); everything after that is discarded, so
	// the printer goes on taking events and never holds a process back.
	OnWriteError func(error)
	// FlushInterval bounds how long written lines may wait in the buffer
	// while more keep arriving; 0 means 50 ms.
	FlushInterval time.Duration
}

// Headless prints events as `name | line` (docs/cli.md, "Output"), buffered and flushed
// once per batch, never more than FlushInterval after a line arrived.
type Headless struct {
	opts     HeadlessOptions
	out      *guardWriter
	w        *bufio.Writer
	width    int
	prefixes map[string][]byte // process name -> rendered "name | " prefix
	colors   map[string]string // ... and its colour
	lastName string            // a one-entry cache in front of prefixes:
	lastPre  []byte            // runs of lines from one process skip the map
	sys      []byte            // rendered "ovrseer | " prefix
	exitCode *int              // from lifecycle:exit, printed when the stream ends
	safe     []byte            // reused buffer for lines made safe
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
		colors:   make(map[string]string, len(opts.Names)+1),
	}
	for _, n := range opts.Names {
		h.width = max(h.width, utf8.RuneCountInString(n))
	}
	for i, n := range opts.Names {
		h.colors[n] = processPalette[i%len(processPalette)]
		h.prefixes[n] = h.render(n, h.colors[n])
	}
	h.sys = h.render("ovrseer", sgrBold)
	return h
}

// Run drains src until it is done, printing every event, and returns after
// the last byte was flushed (or discarded after a write error).
func (h *Headless) Run(src Source) {
	Pump(src, h, h.opts.FlushInterval)
	if h.exitCode != nil && !h.out.failed {
		h.Summary()
	}
}

// WriteEvent prints one event unless writing failed (EventWriter).
func (h *Headless) WriteEvent(ev *engine.Event) {
	if !h.out.failed {
		h.event(ev)
	}
}

// Flush writes what is buffered (EventWriter).
func (h *Headless) Flush() {
	h.w.Flush() // errors are absorbed by guardWriter
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
	h.prefixes[name], h.colors[name] = p, color
	return p
}

// widen makes the name column as wide as the longest name a reload
// brought in (Snapshot), so the lines that follow stay aligned.
func (h *Headless) widen() {
	if h.opts.Snapshot == nil {
		return
	}
	width := h.width
	for _, p := range h.opts.Snapshot() {
		width = max(width, utf8.RuneCountInString(p.Name))
	}
	if width == h.width {
		return
	}
	h.width = width
	for name := range h.prefixes {
		h.prefixes[name] = h.render(name, h.colors[name])
	}
	if h.sys != nil {
		h.sys = h.render("ovrseer", sgrBold)
	}
	h.lastName, h.lastPre = "", nil
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
