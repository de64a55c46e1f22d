#!/bin/sh
# flood.sh — performance workload W1: one process prints 1,000,000 lines of 100 bytes;
# ovrseer runs it headless with stdout to a file. Compared with the bare
# generator writing to a file. Medians of 3 runs; peak RSS of ovrseer;
# every line must be delivered.
#
#   bench/flood.sh             # from the repository root
#   LINES=200000 RUNS=5 bench/flood.sh
#   bench/flood.sh --events    # also --events to a file: every line in both
#
# Targets (bench/README.md): ovrseer ≤ 1.5× the bare generator, ≤ 20 MB RSS, no line
# lost; the headless output and the events file are records (lossless), so
# the ratio is measured with nothing dropped.
set -eu

EVENTS=
case "${1:-}" in
--events) EVENTS=1 ;;
"") ;;
*) echo "usage: bench/flood.sh [--events]" >&2; exit 2 ;;
esac

LINES=${LINES:-1000000}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ovrseer-flood.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

. "$ROOT/bench/lib.sh"
install_ovrseer

# The generator: LINES lines of exactly 100 bytes (99 + newline), POSIX awk.
GEN="awk 'BEGIN { for (i = 0; i < $LINES; i++) printf \"%099d\\n\", i }'"
cat >"$WORK/Ovrfile.star" <<EOF
process("gen", r"""$GEN""", restart = "never")
EOF

# now_ns prints a monotonic-enough timestamp in nanoseconds.
now_ns() { date +%s%N; }

# peak_rss_kb CMD...: runs CMD (stdout to $OUT) and prints its peak RSS in kB.
peak_rss_kb() {
	if /usr/bin/time -v true >/dev/null 2>&1; then
		/usr/bin/time -v -o "$WORK/time.txt" "$@" >"$OUT"
		awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$WORK/time.txt"
	else
		"$@" >"$OUT" &
		pid=$!
		peak=0
		while kill -0 "$pid" 2>/dev/null; do
			hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
			[ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
			sleep 0.05
		done
		wait "$pid"
		echo "$peak"
	fi
}

OUT="$WORK/out.txt"
: >"$WORK/gen.times"
: >"$WORK/ovr.times"
: >"$WORK/ovr.rss"
i=1
while [ "$i" -le "$RUNS" ]; do
	t0=$(now_ns)
	sh -c "$GEN" >"$OUT"
	t1=$(now_ns)
	echo $(((t1 - t0) / 1000000)) >>"$WORK/gen.times"

	rm -f "$WORK/events.jsonl"
	t0=$(now_ns)
	if [ -n "$EVENTS" ]; then
		rss=$(peak_rss_kb "$WORK/ovrseer" -f "$WORK/Ovrfile.star" --no-tui --color=never --events "$WORK/events.jsonl")
	else
		rss=$(peak_rss_kb "$WORK/ovrseer" -f "$WORK/Ovrfile.star" --no-tui --color=never)
	fi
	t1=$(now_ns)
	echo $(((t1 - t0) / 1000000)) >>"$WORK/ovr.times"
	echo "$rss" >>"$WORK/ovr.rss"

	got=$(grep -c '^gen *| [0-9]\{99\}$' "$OUT" || true)
	if [ "$got" -ne "$LINES" ]; then
		echo "run $i: FAIL: $got of $LINES lines delivered" >&2
		exit 1
	fi
	if [ -n "$EVENTS" ]; then
		ev=$(grep -c '"type":"process:log","time":"[^"]*","process":"gen"' "$WORK/events.jsonl" || true)
		if [ "$ev" -ne "$LINES" ]; then
			echo "run $i: FAIL: $ev of $LINES lines in the events file" >&2
			exit 1
		fi
	fi
	echo "run $i: generator $(tail -n 1 "$WORK/gen.times") ms, ovrseer $(tail -n 1 "$WORK/ovr.times") ms, peak RSS $((rss / 1024)) MB, $got lines"
	i=$((i + 1))
done

gen=$(median <"$WORK/gen.times")
ovr=$(median <"$WORK/ovr.times")
rss=$(median <"$WORK/ovr.rss")
echo
echo "median of $RUNS${EVENTS:+ (with --events)}: generator ${gen} ms, ovrseer ${ovr} ms," \
	"ratio $(awk -v a="$ovr" -v b="$gen" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')x" \
	"(target <= 1.5x), peak RSS $(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }') MB (target <= 20 MB)," \
	"every line delivered"
