package unit

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// A process that exits normally may leave children in its group
// (`sh -c 'daemon &'`): the unit kills them at once with SIGKILL (exited)
// and says which, so that nothing is killed without a word (README.md, Install).

// maxNamed bounds the processes a leftovers message names.
const maxNamed = 5

// leftovers returns the live members of process group pgid as "PID (comm)",
// or nil when the group is gone. It reads /proc only when the group has a
// member.
func leftovers(pgid int) []string {
	if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
		return nil
	}
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []string
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if comm, ok := memberOf(pid, pgid); ok {
			out = append(out, fmt.Sprintf("%d (%s)", pid, comm))
		}
	}
	return out
}

// memberOf reports whether pid is a live (not zombie) member of group pgid,
// and its command name.
func memberOf(pid, pgid int) (string, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", false
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", false
	}
	// after the command: state ppid pgrp ...
	f := strings.Fields(s[end+1:])
	if len(f) < 3 || f[0] == "Z" || f[2] != strconv.Itoa(pgid) {
		return "", false
	}
	return s[open+1 : end], true
}

// leftoversText is "killed 2 processes it left in its group when it exited:
// 4242 (sleep), 4243 (sleep)".
func leftoversText(left []string) string {
	what := "1 process"
	if len(left) > 1 {
		what = fmt.Sprintf("%d processes", len(left))
	}
	named := strings.Join(left[:min(len(left), maxNamed)], ", ")
	if len(left) > maxNamed {
		named += fmt.Sprintf(" and %d more", len(left)-maxNamed)
	}
	return fmt.Sprintf("killed %s it left in its group when it exited: %s", what, named)
}
