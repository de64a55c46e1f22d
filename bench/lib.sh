# Shared by the bench scripts: sourced after ROOT and WORK are set.

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
