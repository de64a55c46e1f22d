// Package ansisvg renders a terminal capture (text with SGR colour
// sequences, as `tmux capture-pane -e` prints it) to an SVG picture: one
// row per line, one monospace cell per character, runs of one style in
// one <text>. It draws the README's picture of the terminal UI
// (docs/screenshot.sh).
package ansisvg

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Cell and font geometry, in pixels.
const (
	cellW    = 8.4
	cellH    = 18
	fontSize = 14
	pad      = 12
)

// Theme colours: the terminal's own foreground and background.
const (
	defaultFG = "#d0d0d0"
	defaultBG = "#1d1f21"
)

// style is one run's look.
type style struct {
	fg, bg                     string // "" for the default
	bold, dim, under, reversed bool
}

// Render reads the capture from r and writes the SVG to w.
func Render(r io.Reader, w io.Writer) error {
	var rows [][]run
	cols := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		row, n := parseLine(sc.Text())
		rows = append(rows, row)
		cols = max(cols, n)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("ansisvg: read: %w", err)
	}
	width := float64(cols)*cellW + 2*pad
	height := len(rows)*cellH + 2*pad
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%d" viewBox="0 0 %.0f %d">`+"\n", width, height, width, height)
	fmt.Fprintf(bw, `<rect width="100%%" height="100%%" rx="6" fill="%s"/>`+"\n", defaultBG)
	fmt.Fprintf(bw, `<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="%d" xml:space="preserve">`+"\n", fontSize)
	for y, row := range rows {
		for _, rn := range row {
			writeRun(bw, rn, y)
		}
	}
	bw.WriteString("</g>\n</svg>\n")
	return bw.Flush()
}

// run is text of one style starting at a column.
type run struct {
	col  int
	text string
	st   style
}

// parseLine splits a line into runs and returns them with its width.
func parseLine(line string) ([]run, int) {
	var runs []run
	var st style
	var b strings.Builder
	col, start := 0, 0
	flush := func() {
		if b.Len() > 0 {
			runs = append(runs, run{col: start, text: b.String(), st: st})
			b.Reset()
		}
		start = col
	}
	for i := 0; i < len(line); {
		if line[i] == 0x1b && i+1 < len(line) && line[i+1] == '[' {
			j := i + 2
			for j < len(line) && (line[j] < 0x40 || line[j] > 0x7e) {
				j++
			}
			if j < len(line) && line[j] == 'm' {
				flush()
				st = apply(st, line[i+2:j])
			}
			i = j + 1
			continue
		}
		r, n := utf8.DecodeRuneInString(line[i:])
		b.WriteRune(r)
		col++
		i += n
	}
	flush()
	return runs, col
}

// apply applies an SGR parameter list to st.
func apply(st style, params string) style {
	ps := strings.Split(params, ";")
	for k := 0; k < len(ps); k++ {
		n, _ := strconv.Atoi(ps[k])
		switch {
		case n == 0:
			st = style{}
		case n == 1:
			st.bold = true
		case n == 2:
			st.dim = true
		case n == 4:
			st.under = true
		case n == 7:
			st.reversed = true
		case n == 22:
			st.bold, st.dim = false, false
		case n == 24:
			st.under = false
		case n == 27:
			st.reversed = false
		case n >= 30 && n <= 37:
			st.fg = palette[n-30]
		case n >= 90 && n <= 97:
			st.fg = palette[n-90+8]
		case n >= 40 && n <= 47:
			st.bg = palette[n-40]
		case n >= 100 && n <= 107:
			st.bg = palette[n-100+8]
		case n == 39:
			st.fg = ""
		case n == 49:
			st.bg = ""
		case (n == 38 || n == 48) && k+1 < len(ps):
			c, used := extended(ps[k+1:])
			if n == 38 {
				st.fg = c
			} else {
				st.bg = c
			}
			k += used
		}
	}
	return st
}

// extended reads "5;N" or "2;R;G;B" and returns the colour and how many
// parameters it used.
func extended(ps []string) (string, int) {
	switch {
	case ps[0] == "5" && len(ps) >= 2:
		n, _ := strconv.Atoi(ps[1])
		return xterm256(n), 2
	case ps[0] == "2" && len(ps) >= 4:
		r, _ := strconv.Atoi(ps[1])
		g, _ := strconv.Atoi(ps[2])
		b, _ := strconv.Atoi(ps[3])
		return fmt.Sprintf("#%02x%02x%02x", r, g, b), 4
	}
	return "", 1
}

// palette is the 16 basic colours (a Tomorrow Night-like theme).
var palette = [16]string{
	"#1d1f21", "#cc6666", "#b5bd68", "#f0c674", "#81a2be", "#b294bb", "#8abeb7", "#c5c8c6",
	"#666666", "#d54e53", "#b9ca4a", "#e7c547", "#7aa6da", "#c397d8", "#70c0b1", "#eaeaea",
}

// xterm256 returns colour n of the xterm 256-colour palette.
func xterm256(n int) string {
	switch {
	case n < 16:
		return palette[max(0, n)]
	case n < 232:
		n -= 16
		level := func(v int) int {
			if v == 0 {
				return 0
			}
			return 55 + 40*v
		}
		return fmt.Sprintf("#%02x%02x%02x", level(n/36), level(n/6%6), level(n%6))
	case n < 256:
		v := 8 + 10*(n-232)
		return fmt.Sprintf("#%02x%02x%02x", v, v, v)
	}
	return ""
}

// writeRun writes a run's background and text.
func writeRun(w *bufio.Writer, rn run, row int) {
	fg, bg := rn.st.fg, rn.st.bg
	if fg == "" {
		fg = defaultFG
	}
	if rn.st.reversed {
		if bg == "" {
			bg = defaultBG
		}
		fg, bg = bg, fg
	}
	x := pad + float64(rn.col)*cellW
	y := pad + row*cellH
	n := utf8.RuneCountInString(rn.text)
	if bg != "" {
		fmt.Fprintf(w, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", x, y, float64(n)*cellW, cellH, bg)
	}
	if strings.TrimSpace(rn.text) == "" {
		return
	}
	attrs := ""
	if rn.st.bold {
		attrs += ` font-weight="bold"`
	}
	if rn.st.dim {
		attrs += ` opacity="0.6"`
	}
	if rn.st.under {
		attrs += ` text-decoration="underline"`
	}
	fmt.Fprintf(w, `<text x="%.1f" y="%d" fill="%s" textLength="%.1f" lengthAdjust="spacingAndGlyphs"%s>%s</text>`+"\n",
		x, y+cellH-5, fg, float64(n)*cellW, attrs, html.EscapeString(rn.text))
}
