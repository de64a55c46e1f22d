#!/bin/sh
# Renders the terminal UI on the example stack to docs/tui.svg (the README's
# picture): the UI runs in a detached tmux session of 100x26, the API is
# selected and the flag panel opened, the screen is captured with its
# colours and drawn to SVG by internal/ansisvg.
#   sh docs/screenshot.sh        (needs tmux; run from anywhere)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'tmux kill-session -t ovrseer-shot 2>/dev/null || true; rm -rf "$tmp"' EXIT
cd "$root"
go build -o "$tmp/ovrseer" .
go build -o "$tmp/ansi2svg" ./internal/ansisvg/cmd/ansi2svg
tmux new-session -d -s ovrseer-shot -x 100 -y 26 \
	"cd '$root' && TERM=xterm-256color '$tmp/ovrseer' -f examples/Ovrfile.star"
sleep 9 # the example's flags and crashes take a few seconds to show
tmux send-keys -t ovrseer-shot j j j f
sleep 1.5
tmux capture-pane -e -p -t ovrseer-shot > "$tmp/screen.ansi"
tmux send-keys -t ovrseer-shot q
sleep 3
"$tmp/ansi2svg" < "$tmp/screen.ansi" > docs/tui.svg
echo "wrote docs/tui.svg"
