package watchdog

import (
	"fmt"
	"os"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// childEnvVar makes the test binary act as a child process (see child).
const childEnvVar = "WATCHDOG_TEST_CHILD"

func TestMain(m *testing.M) {
	if code, ok := Main(); ok { // this binary re-executed as the watchdog
		os.Exit(code)
	}
	if os.Getenv(childEnvVar) == "1" {
		os.Exit(child(os.Args[1:]))
	}
	// The watchdog is this binary under -race: no 1 s pause at its exit.
	if os.Getenv("GORACE") == "" {
		os.Setenv("GORACE", "atexit_sleep_ms=0")
	}
	// The orphans of a killed fake come to us, as they would to ovrseer.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "prctl:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// child runs one child mode and returns its exit code.
func child(args []string) int {
	if len(args) < 2 {
		fmt.Fprintf(os.Stderr, "child modes: heldterm MODE, guarded MARKER; got %q\n", args)
		return 2
	}
	switch args[0] {
	case "heldterm": // heldterm kill|release|panic: a UI holding the tty on fd 3 (see terminal_test.go)
		Enable()
		return heldTerm(args[1])
	case "guarded": // guarded MARKER: supervise a marked shell group, print "PGID WATCHDOG-PID", wait
		return guarded(args[1])
	}
	fmt.Fprintf(os.Stderr, "unknown child mode %q\n", args[0])
	return 2
}

// reapGroup reaps the exited members of group pgid that are our children.
func reapGroup(pgid int) {
	for {
		pid, err := syscall.Wait4(-pgid, nil, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
