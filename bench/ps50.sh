#!/bin/sh
# ps50.sh — performance workload W6: `ovrseer ps` against a running stack of 50
# idle processes, compared with `ovrseer version` (the cost of starting the
# binary at all). Each figure is the median wall time of REPS calls, and the
# whole comparison is repeated RUNS times; the ratio is medians of the same
# run.
#
#   bench/ps50.sh                            # from the repository root
#   OVRSEER=/tmp/ovrseer bench/ps50.sh       # a prebuilt binary instead of building
#   N=50 REPS=21 RUNS=3 bench/ps50.sh
#
# Target (bench/README.md): ps <= 2x version.
set -eu

N=${N:-50}
REPS=${REPS:-21}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
bench_start ps50

i=1
while [ "$i" -le "$N" ]; do
	echo "process(\"p$i\", \"exec sleep 1000\")" >>"$WORK/Ovrfile.star"
	i=$((i + 1))
done
cd "$WORK"
./ovrseer --no-tui >run.out 2>&1 &
OVR=$!
until grep -q 'main processes ready' run.out 2>/dev/null; do sleep 0.1; done

# ms prints the median wall time, in ms, of REPS runs of its command.
ms() {
	r=0
	while [ "$r" -lt "$REPS" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
		r=$((r + 1))
	done | median | awk '{ printf "%.2f", $1 / 1000 }'
}

run=1
while [ "$run" -le "$RUNS" ]; do
	v=$(ms ./ovrseer version)
	p=$(ms ./ovrseer ps)
	echo "run $run: version ${v} ms, ps (${N} processes) ${p} ms, ratio $(echo "$p $v" | awk '{ printf "%.2f", $1 / $2 }')"
	run=$((run + 1))
done
