#!/bin/sh
# stop20.sh — performance workload W4: 20 main processes, 10 of which ignore SIGTERM
# (the whole process group: `trap "" TERM` makes the shell ignore it and the
# ignored disposition is inherited by its `sleep` children), stop_timeout "2s".
# Once lifecycle:main-ready is in the events file, SIGTERM goes to ovrseer; the
# figure is the time from that kill to ovrseer's exit. Afterwards every process
# whose environment carries this run's marker counts as a survivor.
#
#   bench/stop20.sh            # from the repository root
#   OVRSEER=/tmp/ovrseer bench/stop20.sh   # a prebuilt binary instead of building
#   RUNS=5 bench/stop20.sh
#
# Targets (bench/README.md): <= 2.5 s, nothing survives; exit code 143.
set -eu

N=${N:-20}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ovrseer-stop20.XXXXXX")
MARK="ovrbench-stop20-$$"
OVR=
cleanup() {
	[ -n "$OVR" ] && kill -KILL "$OVR" 2>/dev/null
	for p in $(survivors); do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
# survivors: pids of processes whose environment holds OVRBENCH_MARK=$MARK
survivors() {
	for e in /proc/[0-9]*/environ; do
		if { tr '\0' '\n' <"$e"; } 2>/dev/null | grep -qx "OVRBENCH_MARK=$MARK"; then
			p=${e#/proc/}
			echo "${p%/environ}"
		fi
	done
}
trap cleanup EXIT INT TERM

. "$ROOT/bench/lib.sh"
install_ovrseer

i=1
: >"$WORK/Ovrfile.star"
while [ "$i" -le "$N" ]; do
	if [ $((i % 2)) -eq 0 ]; then
		cmd='trap \"\" TERM; while :; do sleep 1; done'
	else
		cmd='exec sleep 1000'
	fi
	echo "process(\"p$i\", \"$cmd\", stop_timeout = \"2s\", env = {\"OVRBENCH_MARK\": \"$MARK\"})" >>"$WORK/Ovrfile.star"
	i=$((i + 1))
done

now_ns() { date +%s%N; }
wait_for() {
	n=0
	while ! grep -q "$1" "$2" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -gt $(($3 * 100)) ] && return 1
		sleep 0.01
	done
}

: >"$WORK/times"
fails=0
i=1
while [ "$i" -le "$RUNS" ]; do
	ev="$WORK/events-$i.jsonl"
	"$WORK/ovrseer" -f "$WORK/Ovrfile.star" --ci --color=never --events "$ev" >"$WORK/out-$i.txt" 2>&1 &
	OVR=$!
	if ! wait_for '"lifecycle:main-ready"' "$ev" 30; then
		echo "run $i: FAIL: main-ready not seen" >&2
		exit 1
	fi
	alive=$(survivors | wc -l)
	t0=$(now_ns)
	kill -TERM "$OVR"
	rc=0
	wait "$OVR" || rc=$?
	t1=$(now_ns)
	OVR=
	ms=$(((t1 - t0) / 1000000))
	echo "$ms" >>"$WORK/times"
	left=$(survivors | tr '\n' ' ')
	verdict=ok
	if [ -n "$left" ] || [ "$rc" -ne 143 ]; then
		verdict=FAIL
		fails=$((fails + 1))
	fi
	echo "run $i: $alive marked processes before; SIGTERM -> exit $ms ms, exit code $rc, survivors: ${left:-none} [$verdict]"
	for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
	i=$((i + 1))
done

echo
echo "median of $RUNS: $N processes ($((N / 2)) ignoring SIGTERM), stop_timeout 2s:" \
	"SIGTERM -> exit $(median <"$WORK/times") ms (target <= 2500 ms);" \
	"$([ "$fails" -eq 0 ] && echo "nothing survived, exit code 143 every run" || echo "$fails run(s) FAILED (survivors or exit code != 143)")"
[ "$fails" -eq 0 ]
