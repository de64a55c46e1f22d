package ansisvg

import (
	"strings"
	"testing"
)

func TestRenderColoursAndRuns(t *testing.T) {
	in := "\x1b[31mred\x1b[0m plain \x1b[38;5;239;97mbar\x1b[0m <&>\n\x1b[1;4mbold\x1b[22;24m\n"
	var out strings.Builder
	if err := Render(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	svg := out.String()
	for _, want := range []string{
		`fill="#cc6666"`, `>red</text>`, `> plain </text>`,
		`fill="#eaeaea"`, `>bar</text>`, `> &lt;&amp;&gt;</text>`,
		`font-weight="bold"`, `text-decoration="underline"`, `<svg `, `</svg>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %s in:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "\x1b") {
		t.Error("an escape reached the SVG")
	}
}

func TestXterm256(t *testing.T) {
	for n, want := range map[int]string{1: "#cc6666", 16: "#000000", 21: "#0000ff", 231: "#ffffff", 232: "#080808", 255: "#eeeeee"} {
		if got := xterm256(n); got != want {
			t.Errorf("xterm256(%d) = %s, want %s", n, got, want)
		}
	}
}
