package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/ovrseer/ovrseer/internal/ansi"
	"github.com/ovrseer/ovrseer/internal/ansi/ansitest"
)

type walkedCell struct {
	text  string
	style tcell.Style
}

func walked(text string) []walkedCell {
	var out []walkedCell
	walkCells(text, tcell.StyleDefault, func(c string, _ int, st tcell.Style) bool {
		out = append(out, walkedCell{c, st})
		return true
	})
	return out
}

func cellText(cs []walkedCell) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.text)
	}
	return b.String()
}

func TestWalkCellsRendersSGRAndNoMarkup(t *testing.T) {
	red := tcell.StyleDefault.Foreground(tcell.PaletteColor(1))
	tests := []struct {
		in    string
		text  string
		style map[int]tcell.Style // index of a cell -> its style
	}{
		{in: "[red]x[-]", text: "[red]x[-]", style: map[int]tcell.Style{0: tcell.StyleDefault}},
		{in: "\x1b[31mab\x1b[0mc", text: "abc", style: map[int]tcell.Style{0: red, 1: red, 2: tcell.StyleDefault}},
		{in: "\x1b[1;38;5;208mX", text: "X", style: map[int]tcell.Style{0: tcell.StyleDefault.Bold(true).Foreground(tcell.PaletteColor(208))}},
		{in: "\x1b[38;2;1;2;3mX\x1b[39mY", text: "XY", style: map[int]tcell.Style{0: tcell.StyleDefault.Foreground(tcell.NewRGBColor(1, 2, 3)), 1: tcell.StyleDefault}},
		{in: "\x1b[44;97mX", text: "X", style: map[int]tcell.Style{0: tcell.StyleDefault.Background(tcell.PaletteColor(4)).Foreground(tcell.PaletteColor(15))}},
		{in: "a\tb", text: "a       b"},
		{in: "x\x1b]0;title\x07y\x1b[2Kz\rw\x00", text: "w"},
		{in: "bad\xffutf8", text: "bad\uFFFDutf8"},
		{in: "e\u0301t 世界", text: "e\u0301t 世界"},
		{in: "cut\x1b[3", text: "cut"},
	}
	for _, tt := range tests {
		cs := walked(tt.in)
		if got := cellText(cs); got != tt.text {
			t.Errorf("walkCells(%q) text = %q, want %q", tt.in, got, tt.text)
			continue
		}
		for i, want := range tt.style {
			if cs[i].style != want {
				t.Errorf("walkCells(%q) cell %d style = %v, want %v", tt.in, i, cs[i].style, want)
			}
		}
	}
}

func TestCellWidthAndPlainText(t *testing.T) {
	for in, want := range map[string]int{"abc": 3, "\x1b[31mab\x1b[0m": 2, "世界": 4, "\t": 8, "": 0} {
		if got := cellWidth(in); got != want {
			t.Errorf("cellWidth(%q) = %d, want %d", in, got, want)
		}
	}
	if got := plainText("\x1b[31mneedle\x1b[0m [x]"); got != "needle [x]" {
		t.Errorf("plainText = %q", got)
	}
}

// TestPlainTextAgrees: the TUI shows each tricky line as flags and
// readiness match it (ansitest.Cases); "\x1b(Bready" is "ready", not "Bready".
func TestPlainTextAgrees(t *testing.T) {
	for _, c := range ansitest.Cases {
		if !ansi.Safe(c.Visible) {
			continue // the TUI draws invalid UTF-8 and C1 controls as U+FFFD
		}
		if got := plainText(c.In); got != c.Visible {
			t.Errorf("%s: plainText(%q) = %q, want %q", c.Name, c.In, got, c.Visible)
		}
	}
}

func TestLineStoreStaysBounded(t *testing.T) {
	var s lineStore
	for i := 0; i < 10*maxViewLines; i++ {
		s.add([]string{"l"}, nil)
		if len(s.lines) > maxViewLines+maxViewLines/4 {
			t.Fatalf("%d lines kept", len(s.lines))
		}
	}
	if s.end() != 10*maxViewLines || s.first != s.end()-len(s.lines) {
		t.Errorf("first %d end %d len %d", s.first, s.end(), len(s.lines))
	}
}

func BenchmarkWalkCells(b *testing.B) {
	line := "2026-12-02T14:00:00Z INFO \x1b[32mrequest\x1b[0m served path=/api/v1/items status=200 duration=12ms"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		walkCells(line, tcell.StyleDefault, func(string, int, tcell.Style) bool { return true })
	}
}
