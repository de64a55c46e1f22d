// Command ansi2svg renders a terminal capture with colours (`tmux
// capture-pane -e -p`) read from stdin to an SVG picture on stdout.
package main

import (
	"fmt"
	"os"

	"github.com/ovrseer/ovrseer/internal/ansisvg"
)

func main() {
	if err := ansisvg.Render(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ansi2svg:", err)
		os.Exit(1)
	}
}
