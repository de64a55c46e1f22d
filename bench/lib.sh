# Shared by the bench scripts: sourced after ROOT is set.

# bench_start NAME makes the scratch directory $WORK (removed at exit, the
# ovrseer whose pid is in $OVR stopped first) and puts the binary under test
# in it.
bench_start() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/ovrseer-$1.XXXXXX")
	OVR=
	trap bench_cleanup EXIT INT TERM
	install_ovrseer
}

bench_cleanup() {
	[ -n "$OVR" ] && kill -TERM "$OVR" 2>/dev/null && wait "$OVR" 2>/dev/null
	rm -rf "$WORK"
}

# install_ovrseer puts the binary under test at $WORK/ovrseer: $OVRSEER (a
# prebuilt binary, e.g. to compare two builds) or a build of this checkout.
install_ovrseer() {
	if [ -n "${OVRSEER:-}" ]; then
		cp "$OVRSEER" "$WORK/ovrseer"
	else
		echo "building ovrseer..."
		(cd "$ROOT" && go build -o "$WORK/ovrseer" .)
	fi
}

# median prints the median of the numbers on stdin, one per line.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
