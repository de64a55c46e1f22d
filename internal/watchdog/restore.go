package watchdog

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// restoreSeq undoes what the UI (tcell) turns on, as tcell's own Fini
// does: synchronized output ended (a terminal would hold back the rest),
// mouse reporting (every mode and the SGR encoding), bracketed paste and
// focus reports off, the keyboard protocols (kitty, modifyOtherKeys,
// win32-input-mode) and the cursor keys and keypad back to normal,
// autowrap on, attributes reset, the cursor shown, the alternate screen
// left and the window title restored. A terminal ignores the modes it does
// not know.
const restoreSeq = "\x1b[?2026l" +
	"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1004l" +
	"\x1b[<u\x1b[>4;0m\x1b[?9001l\x1b[?1l\x1b>\x1b[?7h" +
	"\x1b[0m\x1b[?25h\x1b[?1049l\x1b[23;0;0t"

// goneMessage is the line the watchdog prints on a terminal it restored.
const goneMessage = "ovrseer: exited unexpectedly; terminal restored and its processes killed"

// ttyWriteTimeout bounds the watchdog's write to a terminal that does not
// take output (stopped by ^S): it must end anyway.
const ttyWriteTimeout = 2 * time.Second

// saneLflag, saneIflag and saneOflag are the termios flags raw mode clears
// that a shell's user needs back: line editing, echo, signal keys, CR to NL
// on input, NL to CR NL on output.
const (
	saneLflag = unix.ICANON | unix.ECHO | unix.ECHOE | unix.ECHOK | unix.ISIG | unix.IEXTEN
	saneIflag = unix.ICRNL
	saneOflag = unix.OPOST | unix.ONLCR
)

// heldTerminal is a terminal ovrseer's UI holds ("T" line): its path and
// the file a fatal panic's trace is copied to ("" if none).
type heldTerminal struct {
	tty, crashFile string
}

// parseHeld parses a "T" line's text: the tty's path, then optionally a
// space and the crash file's path. Both must be absolute.
func parseHeld(s string) heldTerminal {
	tty, crash, _ := strings.Cut(s, " ")
	if !filepath.IsAbs(tty) || (crash != "" && !filepath.IsAbs(crash)) {
		return heldTerminal{}
	}
	return heldTerminal{tty: tty, crashFile: crash}
}

// crashNote names the crash file in the watchdog's line if a trace is in
// it ("; the crash trace is in /tmp/…"); an empty crash file is removed.
func (h heldTerminal) crashNote() string {
	if h.crashFile == "" {
		return ""
	}
	st, err := os.Stat(h.crashFile)
	switch {
	case err != nil || !st.Mode().IsRegular():
		return ""
	case st.Size() > 0:
		return "; the crash trace is in " + h.crashFile
	}
	os.Remove(h.crashFile)
	return ""
}

// restore sets the terminal's line discipline back to sane flags, then
// writes restoreSeq and msg to it. It opens the terminal without making it
// the watchdog's controlling terminal, and only now, when it must.
func (h heldTerminal) restore(msg string) error {
	f, err := os.OpenFile(h.tty, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return fmt.Errorf("restore terminal: %w", err)
	}
	defer f.Close()
	if err := control(f, saneTermios); err != nil {
		return fmt.Errorf("restore terminal %s: %w", h.tty, err)
	}
	f.SetWriteDeadline(time.Now().Add(ttyWriteTimeout))
	if _, err := f.WriteString(restoreSeq + msg + "\n"); err != nil {
		return fmt.Errorf("restore terminal: %w", err)
	}
	return nil
}

// saneTermios sets the flags of saneLflag, saneIflag and saneOflag on the
// terminal fd, leaving the others as they are. It fails if fd is not a
// terminal.
func saneTermios(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return fmt.Errorf("get termios: %w", err)
	}
	t.Lflag |= saneLflag
	t.Iflag |= saneIflag
	t.Oflag |= saneOflag
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, t); err != nil {
		return fmt.Errorf("set termios: %w", err)
	}
	return nil
}

// control runs fn on f's descriptor without f.Fd, which would make f
// blocking and its write deadline void.
func control(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var fnErr error
	if err := rc.Control(func(fd uintptr) { fnErr = fn(int(fd)) }); err != nil {
		return err
	}
	return fnErr
}
