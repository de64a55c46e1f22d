package unit

import (
	"bufio"
	"bytes"
	"io"
	"maps"
	"slices"
	"strconv"
	"syscall"
)

// maxPgid is the largest process id Linux hands out (PID_MAX_LIMIT).
const maxPgid = 1 << 22

// guard is the watchdog's work: it reads the registry from r until it
// ends (ovrseer is gone), then kills every group still recorded, lowest id
// first, and returns those kill reached.
func guard(r io.Reader, kill func(pgid int) error) []int {
	groups := readRegistry(r)
	var killed []int
	for _, g := range slices.Sorted(maps.Keys(groups)) {
		if kill(g) == nil {
			killed = append(killed, g)
		}
	}
	return killed
}

// readRegistry applies "+PGID" and "-PGID" lines until r ends and returns
// the groups still recorded. Lines it cannot parse (none are written) are
// skipped; lines are read with a small bounded buffer.
func readRegistry(r io.Reader) map[int]struct{} {
	groups := map[int]struct{}{}
	br := bufio.NewReaderSize(r, 64)
	skipping := false // the rest of an overlong line
	for {
		line, err := br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			skipping = true
		case err != nil: // the end; a torn last line is never written
			return groups
		case skipping:
			skipping = false
		default:
			applyLine(groups, line)
		}
	}
}

// applyLine records or forgets the group of one line. Ids 0 and 1 are
// refused: kill(0) and kill(-1) would reach far more than a group.
func applyLine(groups map[int]struct{}, line []byte) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	if len(line) < 2 || line[1] < '0' || line[1] > '9' {
		return
	}
	pgid, err := strconv.Atoi(string(line[1:]))
	if err != nil || pgid <= 1 || pgid > maxPgid {
		return
	}
	switch line[0] {
	case '+':
		groups[pgid] = struct{}{}
	case '-':
		delete(groups, pgid)
	}
}

// killGroup sends SIGKILL to group pgid (a stopped process dies of it too).
func killGroup(pgid int) error { return syscall.Kill(-pgid, syscall.SIGKILL) }
