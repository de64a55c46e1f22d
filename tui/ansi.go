package tui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/uniseg"

	"github.com/ovrseer/ovrseer/internal/ansi"
)

// Child text is drawn cell by cell, never through tview's markup: a line
// like "[red]x" shows as written. It is read by the one parser of terminal
// output (internal/ansi), so it shows what flags and readiness match: its
// SGR sequences (colours, bold, ...) become tcell styles; other escape
// sequences and control characters are dropped; a line with carriage
// returns shows its ansi.Final part; a tab advances to the next multiple of
// tabWidth.

const tabWidth = 8

// cellFunc receives one display cell of a line: a grapheme cluster, its
// width in columns and its style. Returning false stops the walk.
type cellFunc func(cluster string, width int, style tcell.Style) bool

// walkCells calls fn for every visible cell of text, in order, starting in
// style base.
func walkCells(text string, base tcell.Style, fn cellFunc) {
	text = ansi.Final(text)
	style, col, state := base, 0, -1
	for len(text) > 0 {
		b := text[0]
		switch {
		case b == 0x1b || b < 0x20 && b != '\t' || b == 0x7f:
			k, n := ansi.Next(text)
			if k == ansi.SGR {
				style = sgr(text[2:n-1], style, base)
			}
			text = text[n:]
			continue
		case b == '\t':
			text = text[1:]
			for n := tabWidth - col%tabWidth; n > 0; n-- {
				if !fn(" ", 1, style) {
					return
				}
				col++
			}
			continue
		case b < 0x80 && (len(text) == 1 || text[1] < 0x80):
			// ASCII fast path: one byte, one cell.
			cluster := text[:1]
			text = text[1:]
			state = -1
			if !fn(cluster, 1, style) {
				return
			}
			col++
			continue
		}
		var cluster string
		var w int
		cluster, text, w, state = uniseg.FirstGraphemeClusterInString(text, state)
		if r, _ := utf8.DecodeRuneInString(cluster); r == utf8.RuneError || r < 0x20 || (r >= 0x80 && r < 0xa0) {
			cluster, w = "\uFFFD", 1
		}
		if w == 0 {
			continue
		}
		if !fn(cluster, w, style) {
			return
		}
		col += w
	}
}

// sgr applies the parameters of one Select Graphic Rendition sequence.
func sgr(params string, style, base tcell.Style) tcell.Style {
	if params == "" {
		return base
	}
	ps := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	for i := 0; i < len(ps); i++ {
		n, err := strconv.Atoi(ps[i])
		if err != nil {
			continue
		}
		switch {
		case n == 0:
			style = base
		case n == 1:
			style = style.Bold(true)
		case n == 2:
			style = style.Dim(true)
		case n == 3:
			style = style.Italic(true)
		case n == 4:
			style = style.Underline(true)
		case n == 5 || n == 6:
			style = style.Blink(true)
		case n == 7:
			style = style.Reverse(true)
		case n == 9:
			style = style.StrikeThrough(true)
		case n == 22:
			style = style.Bold(false).Dim(false)
		case n == 23:
			style = style.Italic(false)
		case n == 24:
			style = style.Underline(false)
		case n == 25:
			style = style.Blink(false)
		case n == 27:
			style = style.Reverse(false)
		case n == 29:
			style = style.StrikeThrough(false)
		case n >= 30 && n <= 37:
			style = style.Foreground(tcell.PaletteColor(n - 30))
		case n == 38 || n == 48:
			var c tcell.Color
			c, i = extendedColor(ps, i)
			if n == 38 {
				style = style.Foreground(c)
			} else {
				style = style.Background(c)
			}
		case n == 39:
			fg, _, _ := base.Decompose()
			style = style.Foreground(fg)
		case n >= 40 && n <= 47:
			style = style.Background(tcell.PaletteColor(n - 40))
		case n == 49:
			_, bg, _ := base.Decompose()
			style = style.Background(bg)
		case n >= 90 && n <= 97:
			style = style.Foreground(tcell.PaletteColor(n - 90 + 8))
		case n >= 100 && n <= 107:
			style = style.Background(tcell.PaletteColor(n - 100 + 8))
		}
	}
	return style
}

// extendedColor parses "5;N" or "2;R;G;B" after the 38/48 at ps[i] and
// returns the colour and the index of the last parameter used.
func extendedColor(ps []string, i int) (tcell.Color, int) {
	num := func(j int) int {
		if j >= len(ps) {
			return 0
		}
		n, _ := strconv.Atoi(ps[j])
		return n
	}
	switch num(i + 1) {
	case 5:
		return tcell.PaletteColor(num(i + 2)), i + 2
	case 2:
		return tcell.NewRGBColor(int32(num(i+2)), int32(num(i+3)), int32(num(i+4))), i + 4
	}
	return tcell.ColorDefault, i + 1
}

// plainText returns text without escape sequences and control characters,
// as it is displayed (for searching).
func plainText(text string) string {
	if !strings.ContainsAny(text, "\x1b\t") && isPrintableASCII(text) {
		return text
	}
	var b strings.Builder
	walkCells(text, tcell.StyleDefault, func(cluster string, _ int, _ tcell.Style) bool {
		b.WriteString(cluster)
		return true
	})
	return b.String()
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// cellWidth returns the number of columns text takes.
func cellWidth(text string) int {
	if isPrintableASCII(text) {
		return len(text)
	}
	w := 0
	walkCells(text, tcell.StyleDefault, func(_ string, n int, _ tcell.Style) bool {
		w += n
		return true
	})
	return w
}

// putCell draws one cluster at (x, y).
func putCell(screen tcell.Screen, x, y int, cluster string, style tcell.Style) {
	r, size := utf8.DecodeRuneInString(cluster)
	var comb []rune
	if size < len(cluster) {
		comb = []rune(cluster[size:])
	}
	screen.SetContent(x, y, r, comb, style)
}

// printText draws text (child or own, never markup) on one row from x,
// clipped to width columns, and returns the number of columns used.
func printText(screen tcell.Screen, x, y, width int, text string, style tcell.Style) int {
	col := 0
	walkCells(text, style, func(cluster string, w int, st tcell.Style) bool {
		if col+w > width {
			return false
		}
		putCell(screen, x+col, y, cluster, st)
		col += w
		return true
	})
	return col
}
