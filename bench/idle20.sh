#!/bin/sh
# idle20.sh — performance workload W3: 20 idle processes (sleep 1000) for 10 s.
# Measures, once all 20 are ready (lifecycle:main-ready in the events file), the
# CPU seconds (utime+stime from /proc/PID/stat, over the idle window only) and
# the RSS (VmRSS at the end, VmHWM = peak) of ovrseer and of its watchdog (the
# re-exec'd "ovr-watchdog" child), separately. Median of 3 runs.
#
#   bench/idle20.sh            # from the repository root
#   OVRSEER=/tmp/ovrseer bench/idle20.sh   # a prebuilt binary instead of building
#   N=20 IDLE=10 RUNS=3 bench/idle20.sh
#   TUI=1 bench/idle20.sh      # the terminal UI on, in a 120x40 pty (script(1))
#
# Targets (bench/README.md): 0.00 CPU-s, <= 15 MB RSS, no polling loops.
set -eu

N=${N:-20}
IDLE=${IDLE:-10}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
bench_start idle20

i=1
: >"$WORK/Ovrfile.star"
while [ "$i" -le "$N" ]; do
	echo "process(\"p$i\", [\"sleep\", \"1000\"])" >>"$WORK/Ovrfile.star"
	i=$((i + 1))
done

CLK=$(getconf CLK_TCK)
# ticks PID: utime+stime in clock ticks (fields 14 and 15 after the "(comm)")
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
# kb FIELD PID: VmRSS or VmHWM in kB
kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; }
# pss PID: proportional set size in kB (shared pages split between sharers,
# so the two processes' figures add up honestly)
pss() { awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
# watchdog PID: the ovr-watchdog child of PID
watchdog() {
	for c in $(cat "/proc/$1/task/"*/children 2>/dev/null); do
		[ "$(cat "/proc/$c/comm" 2>/dev/null)" = ovr-watchdog ] && echo "$c" && return
	done
	echo ""
}
# wait_for PATTERN FILE SECONDS
wait_for() {
	n=0
	while ! grep -q "$1" "$2" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -gt $(($3 * 20)) ] && return 1
		sleep 0.05
	done
}

# start_ovrseer EVENTS OUT: starts ovrseer (headless, or its UI in a pty
# with TUI=1) and sets OVR to its pid once main-ready is in EVENTS.
start_ovrseer() {
	if [ -z "${TUI:-}" ]; then
		"$WORK/ovrseer" -f "$WORK/Ovrfile.star" --ci --color=never --events "$1" >"$2" 2>&1 &
		OVR=$!
	else
		[ -p "$WORK/stdin" ] || mkfifo "$WORK/stdin"
		exec 8<>"$WORK/stdin" # the UI's keyboard: open, silent
		TERM=xterm-256color script -qfc "stty cols 120 rows 40; exec '$WORK/ovrseer' -f '$WORK/Ovrfile.star' --events '$1'" \
			/dev/null <"$WORK/stdin" >"$2" 2>&1 &
	fi
	wait_for '"lifecycle:main-ready"' "$1" 30 || return 1
	[ -n "${TUI:-}" ] && OVR=$(pgrep -n -f "^$WORK/ovrseer -f")
	[ -n "$OVR" ]
}

# stop_ovrseer stops it and waits until it is gone.
stop_ovrseer() {
	kill -TERM "$OVR"
	if [ -z "${TUI:-}" ]; then
		wait "$OVR" || true
	else
		n=0
		while kill -0 "$OVR" 2>/dev/null && [ "$n" -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
		wait || true # script(1)
	fi
	OVR=
}

for f in ocpu orss ohwm opss wcpu wrss whwm wpss; do : >"$WORK/$f"; done
i=1
while [ "$i" -le "$RUNS" ]; do
	ev="$WORK/events-$i.jsonl"
	if ! start_ovrseer "$ev" "$WORK/out-$i.txt"; then
		echo "run $i: FAIL: main-ready not seen" >&2
		exit 1
	fi
	sleep 0.2 # let the events writer's last batch and the ready output settle
	W=$(watchdog "$OVR")
	o0=$(ticks "$OVR")
	w0=0
	[ -n "$W" ] && w0=$(ticks "$W")
	sleep "$IDLE"
	o1=$(ticks "$OVR")
	ocpu=$(awk -v t=$((o1 - o0)) -v c="$CLK" 'BEGIN { printf "%.2f", t / c }')
	orss=$(kb VmRSS "$OVR")
	ohwm=$(kb VmHWM "$OVR")
	opss=$(pss "$OVR")
	wcpu=- wrss=0 whwm=0 wpss=0
	if [ -n "$W" ]; then
		w1=$(ticks "$W")
		wcpu=$(awk -v t=$((w1 - w0)) -v c="$CLK" 'BEGIN { printf "%.2f", t / c }')
		wrss=$(kb VmRSS "$W")
		whwm=$(kb VmHWM "$W")
		wpss=$(pss "$W")
	fi
	stop_ovrseer
	echo "$ocpu" >>"$WORK/ocpu"
	echo "$orss" >>"$WORK/orss"
	echo "$ohwm" >>"$WORK/ohwm"
	echo "$wcpu" >>"$WORK/wcpu"
	echo "$wrss" >>"$WORK/wrss"
	echo "$whwm" >>"$WORK/whwm"
	echo "$opss" >>"$WORK/opss"
	echo "$wpss" >>"$WORK/wpss"
	echo "run $i: ovrseer ${ocpu} CPU-s over ${IDLE}s, RSS $((orss / 1024)) MB (peak $((ohwm / 1024)) MB, PSS $((opss / 1024)) MB);" \
		"watchdog ${wcpu} CPU-s, RSS $((wrss / 1024)) MB (peak $((whwm / 1024)) MB, PSS $((wpss / 1024)) MB)"
	i=$((i + 1))
done

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
orss=$(median <"$WORK/orss")
ohwm=$(median <"$WORK/ohwm")
wrss=$(median <"$WORK/wrss")
whwm=$(median <"$WORK/whwm")
opss=$(median <"$WORK/opss")
wpss=$(median <"$WORK/wpss")
echo
echo "median of $RUNS, $N idle processes for ${IDLE}s${TUI:+, terminal UI on}:" \
	"ovrseer $(median <"$WORK/ocpu") CPU-s, RSS $(mb "$orss") MB (peak $(mb "$ohwm") MB, PSS $(mb "$opss") MB);" \
	"watchdog $(median <"$WORK/wcpu") CPU-s, RSS $(mb "$wrss") MB (peak $(mb "$whwm") MB, PSS $(mb "$wpss") MB);" \
	"together RSS $(mb $((orss + wrss))) MB, PSS $(mb $((opss + wpss))) MB (targets: 0.00 CPU-s, <= 15 MB)"
