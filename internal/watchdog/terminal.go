package watchdog

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// held is ovrseer's side of a terminal held by its UI.
var held struct {
	mu    sync.Mutex // orders the "T" and "t" lines; guards:
	on    bool       // HoldTerminal told the watchdog, ReleaseTerminal did not yet
	crash string     // the crash output file, "" when none
}

// HoldTerminal tells the watchdog that the terminal on fd is in UI mode
// (alternate screen, raw mode, mouse reporting, hidden cursor). Should this
// process die before ReleaseTerminal, however it dies (a panic, SIGKILL),
// the watchdog first kills the recorded groups, then sets the terminal's
// line discipline back to canonical mode with echo, leaves the alternate
// screen, turns mouse reporting and the keyboard protocols off, shows the
// cursor (see restoreSeq) and prints one line saying so.
//
// Go writes a fatal panic's trace to stderr, that is to the alternate
// screen, which the restore leaves: until ReleaseTerminal, the trace also
// goes to a new file in os.TempDir (debug.SetCrashOutput), which the
// watchdog's line names if it is not empty and removes otherwise.
//
// Call it just before the UI takes the terminal over, with a descriptor
// open on that terminal (stdin). It starts the watchdog if none runs yet,
// without waiting for it. It does nothing unless Enable was called,
// or if fd is not a terminal. It is safe for concurrent use.
func HoldTerminal(fd int) {
	if !dog.enabled.Load() {
		return
	}
	if _, err := unix.IoctlGetTermios(fd, unix.TCGETS); err != nil {
		return // not a terminal
	}
	tty, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil || !strings.HasPrefix(tty, "/") {
		return
	}
	held.mu.Lock()
	defer held.mu.Unlock()
	dropCrashFile()
	held.crash = newCrashFile()
	line, ok := heldLine(tty, held.crash)
	if !ok {
		dropCrashFile()
		return
	}
	held.on = true
	dog.sendSoon(line)
}

// ReleaseTerminal tells the watchdog that the UI restored the terminal:
// there is nothing to restore any more. Panics are no longer copied to a
// file, which is removed. Call it once the UI returned, whether HoldTerminal
// did anything or not.
func ReleaseTerminal() {
	held.mu.Lock()
	defer held.mu.Unlock()
	if held.on {
		dog.sendSoon([]byte("t\n"))
		held.on = false
	}
	dropCrashFile()
}

// heldLine is the "T" line for tty and crash: "T/dev/pts/3 /tmp/file\n",
// or "T/dev/pts/3\n" without a crash file. A tty path holds no space; a
// path with a newline, or too long for a line, cannot be sent.
func heldLine(tty, crash string) ([]byte, bool) {
	line := "T" + tty
	if crash != "" {
		line += " " + crash
	}
	line += "\n"
	if strings.ContainsRune(tty, ' ') || strings.Count(line, "\n") != 1 || len(line) > maxLine {
		return nil, false
	}
	return []byte(line), true
}

// newCrashFile creates the file a fatal panic's trace is copied to and
// returns its absolute path, or "" if it cannot. A new file with a random
// name, not a guessable one, since os.TempDir may be shared.
func newCrashFile() string {
	f, err := os.CreateTemp("", fmt.Sprintf("ovrseer-crash-%d-*.txt", os.Getpid()))
	if err != nil {
		return ""
	}
	defer f.Close() // SetCrashOutput keeps a duplicate
	path, err := filepath.Abs(f.Name())
	if err != nil || debug.SetCrashOutput(f, debug.CrashOptions{}) != nil {
		os.Remove(f.Name())
		return ""
	}
	return path
}

// dropCrashFile stops copying crashes to the crash file and removes it;
// held.mu is held.
func dropCrashFile() {
	if held.crash == "" {
		return
	}
	debug.SetCrashOutput(nil, debug.CrashOptions{})
	os.Remove(held.crash)
	held.crash = ""
}
