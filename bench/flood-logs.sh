#!/bin/sh
# flood-logs.sh — performance workload W1b: workload 1 (one process prints
# 1,000,000 lines of 100 bytes, headless, stdout to a file) with --events and
# settings(log_dir) on. Compared with the bare generator writing to a file,
# in the same run. Medians of 3 runs; every line must be in all three: the
# output, the events file and the log file.
#
#   bench/flood-logs.sh             # from the repository root
#   LINES=200000 RUNS=5 FORMAT=json bench/flood-logs.sh
#
# Target (bench/README.md): ovrseer ≤ 2.5× the bare generator, no line lost anywhere.
set -eu

LINES=${LINES:-1000000}
RUNS=${RUNS:-3}
FORMAT=${FORMAT:-text}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ovrseer-flood-logs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

. "$ROOT/bench/lib.sh"
install_ovrseer

# The generator: LINES lines of exactly 100 bytes (99 + newline), POSIX awk.
GEN="awk 'BEGIN { for (i = 0; i < $LINES; i++) printf \"%099d\\n\", i }'"
cat >"$WORK/Ovrfile.star" <<EOF
settings(log_dir = "logs", log_format = "$FORMAT", log_max_size = "1GB")
process("gen", r"""$GEN""", restart = "never")
EOF

now_ns() { date +%s%N; }

OUT="$WORK/out.txt"
EVENTS="$WORK/events.jsonl"
LOG="$WORK/logs/gen.log"
: >"$WORK/gen.times"
: >"$WORK/ovr.times"
i=1
while [ "$i" -le "$RUNS" ]; do
	rm -rf "$WORK/logs" "$EVENTS"
	t0=$(now_ns)
	sh -c "$GEN" >"$OUT"
	t1=$(now_ns)
	echo $(((t1 - t0) / 1000000)) >>"$WORK/gen.times"

	t0=$(now_ns)
	"$WORK/ovrseer" -f "$WORK/Ovrfile.star" --no-tui --color=never --events "$EVENTS" >"$OUT"
	t1=$(now_ns)
	echo $(((t1 - t0) / 1000000)) >>"$WORK/ovr.times"

	out=$(grep -c '^gen *| [0-9]\{99\}$' "$OUT" || true)
	ev=$(grep -c '"type":"process:log".*"line":"[0-9]\{99\}"' "$EVENTS" || true)
	if [ "$FORMAT" = json ]; then
		log=$(grep -c '"line":"[0-9]\{99\}"}$' "$LOG" || true)
	else
		log=$(grep -c ' stdout [0-9]\{99\}$' "$LOG" || true)
	fi
	echo "run $i: generator $(tail -n 1 "$WORK/gen.times") ms, ovrseer $(tail -n 1 "$WORK/ovr.times") ms;" \
		"lines: output $out, events $ev, log file $log (of $LINES)"
	if [ "$out" -ne "$LINES" ] || [ "$ev" -ne "$LINES" ] || [ "$log" -ne "$LINES" ]; then
		echo "run $i: FAIL: a line is missing" >&2
		exit 1
	fi
	i=$((i + 1))
done

gen=$(median <"$WORK/gen.times")
ovr=$(median <"$WORK/ovr.times")
echo
echo "median of $RUNS: generator ${gen} ms, ovrseer with --events and log_dir ($FORMAT) ${ovr} ms," \
	"ratio $(awk -v a="$ovr" -v b="$gen" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')x" \
	"(target <= 2.5x), every line in the output, the events file and the log file"
