package watchdog

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

// maxLine bounds a registry line: a "T" line carries two paths.
const maxLine = 4096

// registry is what ovrseer told the watchdog: the groups to kill, the run
// whose marked processes to kill, and the terminal to restore should it die.
type registry struct {
	groups map[int]struct{}
	run    string       // OVRSEER_RUN of ovrseer's children ("R" line)
	term   heldTerminal // zero when ovrseer's UI does not hold a terminal
	ctl    string       // the control socket and lock ("C" line), tab-separated
}

// guard is the watchdog's work: it reads the registry from r until it
// ends (ovrseer is gone), then kills every group still recorded, lowest id
// first. It returns those kill reached and the registry.
func guard(r io.Reader, kill func(pgid int) error) ([]int, *registry) {
	reg := readRegistry(r)
	var killed []int
	for _, g := range slices.Sorted(maps.Keys(reg.groups)) {
		if kill(g) == nil {
			killed = append(killed, g)
		}
	}
	return killed, reg
}

// readRegistry applies the lines until r ends and returns the registry.
// Lines it cannot parse (none are written) are skipped; lines are read
// with a bounded buffer.
func readRegistry(r io.Reader) *registry {
	reg := &registry{groups: map[int]struct{}{}}
	br := bufio.NewReaderSize(r, maxLine)
	skipping := false // the rest of an overlong line
	for {
		line, err := br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			skipping = true
		case err != nil: // the end; a torn last line is never written
			return reg
		case skipping:
			skipping = false
		default:
			reg.apply(bytes.TrimSuffix(line, []byte("\n")))
		}
	}
}

// apply applies one line: "+PGID" records a group, "-PGID" forgets it,
// "RID" names the run, "T..." holds a terminal (see parseHeld) and "t"
// releases it.
func (reg *registry) apply(line []byte) {
	switch {
	case len(line) == 0:
	case line[0] == 'R':
		reg.run = string(line[1:])
	case line[0] == 'C':
		reg.ctl = string(line[1:])
	case line[0] == 'T':
		reg.term = parseHeld(string(line[1:]))
	case line[0] == 't' && len(line) == 1:
		reg.term = heldTerminal{}
	default:
		applyGroup(reg.groups, line)
	}
}

// applyGroup records or forgets the group of one line. Ids 0 and 1 are
// refused: kill(0) and kill(-1) would reach far more than a group.
func applyGroup(groups map[int]struct{}, line []byte) {
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
