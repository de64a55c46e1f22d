package reaper

import (
	"os"
	"slices"
	"strconv"
	"strings"
)

// statHook, when set (by tests), is called with every pid whose
// /proc/PID/stat a scan for escapes reads.
var statHook func(pid int)

// candidates are the pids that may be adopted orphans of this process:
// its children, read from /proc/self/task/TID/children for each of its
// threads (a child belongs to the thread that forked or adopted it), or,
// where the kernel has no such file, every process on the machine. The
// caller holds forks: no child is reaped meanwhile, so none of those files
// can skip a child (they are exact while no child leaves the list; a thread
// exit moves its children to another thread, so the scan is repeated
// then).
func candidates() []int {
	for range 3 {
		if pids, ok := threadChildren(); ok {
			return pids
		}
	}
	return allPids()
}

// threadChildren reads the children of every thread; not ok if a file is
// missing or the threads changed during the reads.
func threadChildren() (pids []int, ok bool) {
	tids, err := readTasks()
	if err != nil {
		return nil, false
	}
	for _, tid := range tids {
		b, err := os.ReadFile("/proc/self/task/" + tid + "/children")
		if err != nil {
			return nil, false // no such file (CONFIG_PROC_CHILDREN), or the thread ended
		}
		for f := range strings.FieldsSeq(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	after, err := readTasks()
	if err != nil || !slices.Equal(tids, after) {
		return nil, false
	}
	return pids, true
}

// readTasks lists this process's threads, sorted.
func readTasks() ([]string, error) {
	f, err := os.Open("/proc/self/task")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	slices.Sort(names)
	return names, err
}

// allPids is every pid in /proc.
func allPids() []int {
	f, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	pids := make([]int, 0, len(names))
	for _, name := range names {
		if pid, err := strconv.Atoi(name); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}
