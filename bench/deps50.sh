#!/bin/sh
# deps50.sh — performance workload W2: 50 dependencies, each ready by a log line
# (sh -c 'echo ready; exec sleep 1000' with ready.log("ready")), then one main
# process ("exit 0", which ends the run). Measures the time from ovrseer's start
# to the main process being spawned. Baseline in the same run: a plain sh loop
# that spawns the same 50 shells and waits until all 50 "ready" lines arrived.
#
#   bench/deps50.sh            # from the repository root
#   OVRSEER=/tmp/ovrseer bench/deps50.sh   # a prebuilt binary instead of building
#   N=50 RUNS=5 bench/deps50.sh
#
# Figures (median of RUNS):
#   start->main spawn  the shell's clock just before exec'ing ovrseer, to the
#                      "time" of main's process:spawn event (both wall clock;
#                      event times have millisecond resolution). This is the
#                      figure compared with the target: it includes process
#                      start-up, loading the Ovrfile, the 50 spawns and the
#                      readiness of all 50.
#   engine             the earliest event (a dependency's process:spawn) to main's
#                      process:spawn: the same without start-up and loading.
#   wall               the whole `ovrseer --ci` run, including the orderly
#                      shutdown of the 50 dependencies after main exits.
#   ratio              start->main spawn over the same run's sh loop baseline.
# Target (bench/README.md): ratio <= 1.1.
set -eu

N=${N:-50}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ovrseer-deps50.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

. "$ROOT/bench/lib.sh"
install_ovrseer

i=1
: >"$WORK/Ovrfile.star"
while [ "$i" -le "$N" ]; do
	echo "dependency(\"d$i\", \"echo ready; exec sleep 1000\", ready = ready.log(\"ready\"))" >>"$WORK/Ovrfile.star"
	i=$((i + 1))
done
echo 'process("main", "exit 0", restart = "never")' >>"$WORK/Ovrfile.star"

now_ns() { date +%s%N; }
# ms_of RFC3339 time with milliseconds -> Unix milliseconds
ms_of() { date -u -d "$1" +%s%3N; }
# event_time TYPE [PROCESS] < events.jsonl: time of the first such event
event_time() {
	if [ $# -gt 1 ]; then
		grep -m 1 "\"type\":\"$1\",\"time\":\"[^\"]*\",\"process\":\"$2\"" | sed 's/.*"time":"\([^"]*\)".*/\1/'
	else
		grep -m 1 "\"type\":\"$1\"" | sed 's/.*"time":"\([^"]*\)".*/\1/'
	fi
}

# first_time < events.jsonl: the earliest event time (the file is in publish
# order, which need not be time order across processes)
first_time() { sed -n 's/.*"time":"\([^"]*\)".*/\1/p' | sort | head -n 1; }

# baseline: spawn N shells from a plain sh loop; done when all N lines arrived.
baseline_us() {
	rm -f "$WORK/fifo"
	mkfifo "$WORK/fifo"
	t0=$(now_ns)
	head -n "$N" <"$WORK/fifo" >/dev/null &
	reader=$!
	exec 7>"$WORK/fifo"
	pids=
	j=0
	while [ "$j" -lt "$N" ]; do
		sh -c 'echo ready; exec sleep 1000' >&7 &
		pids="$pids $!"
		j=$((j + 1))
	done
	exec 7>&-
	wait "$reader"
	t1=$(now_ns)
	# shellcheck disable=SC2086
	kill $pids 2>/dev/null || true
	wait 2>/dev/null || true
	echo $(((t1 - t0) / 1000))
}

: >"$WORK/base"
: >"$WORK/start"
: >"$WORK/engine"
: >"$WORK/wall"
: >"$WORK/ratio"
i=1
while [ "$i" -le "$RUNS" ]; do
	base=$(baseline_us)
	echo "$base" >>"$WORK/base"

	ev="$WORK/events-$i.jsonl"
	t0=$(now_ns)
	rc=0
	"$WORK/ovrseer" -f "$WORK/Ovrfile.star" --ci --color=never --timeout 60s --events "$ev" >"$WORK/out-$i.txt" 2>&1 || rc=$?
	t1=$(now_ns)
	if [ "$rc" -ne 0 ]; then
		echo "run $i: FAIL: ovrseer exited $rc" >&2
		tail -n 20 "$WORK/out-$i.txt" >&2
		exit 1
	fi
	first=$(ms_of "$(first_time <"$ev")")
	main=$(ms_of "$(event_time 'process:spawn' main <"$ev")")
	start=$((main - t0 / 1000000))
	engine=$((main - first))
	wall=$(((t1 - t0) / 1000000))
	echo "$start" >>"$WORK/start"
	echo "$engine" >>"$WORK/engine"
	echo "$wall" >>"$WORK/wall"
	ratio=$(awk -v s="$start" -v b="$base" 'BEGIN { printf "%.2f", s * 1000 / b }')
	echo "$ratio" >>"$WORK/ratio"
	echo "run $i: baseline sh loop $((base / 1000)) ms; ovrseer start->main spawn $start ms (${ratio}x)" \
		"(start->first event $((start - engine)) ms, engine: first event->main spawn $engine ms), wall $wall ms"
	i=$((i + 1))
done

base=$(median <"$WORK/base")
echo
echo "median of $RUNS: $N deps ready by log line -> main spawned:" \
	"ovrseer start->main spawn $(median <"$WORK/start") ms, ratio to the sh loop $(median <"$WORK/ratio")x (target <= 1.1x)," \
	"engine $(median <"$WORK/engine") ms, wall $(median <"$WORK/wall") ms;" \
	"baseline sh loop $(awk -v u="$base" 'BEGIN { printf "%.1f", u / 1000 }') ms"
