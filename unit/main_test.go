package unit

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ovrseer/ovrseer/internal/watchdog"
)

// childEnvVar makes the test binary act as a child process (see child).
const childEnvVar = "UNIT_TEST_CHILD"

func TestMain(m *testing.M) {
	if code, ok := watchdog.Main(); ok { // this binary re-executed as the watchdog
		os.Exit(code)
	}
	if os.Getenv(childEnvVar) == "1" {
		os.Exit(child(os.Args[1:]))
	}
	watchdog.Enable() // as ovrseer's main does
	// The watchdog is this binary under -race: no 1 s pause at its exit.
	if os.Getenv("GORACE") == "" {
		os.Setenv("GORACE", "atexit_sleep_ms=0")
	}
	// Orphaned grandchildren come to us, as they would to ovrseer, so the
	// unit can reap them (the container's init may not).
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "prctl:", err)
		os.Exit(1)
	}
	code := m.Run()
	if code == 0 && leakedGoroutines() {
		code = 1
	}
	os.Exit(code)
}

// leakedGoroutines reports (and prints) goroutines of this package still
// running a few seconds after every test ended.
func leakedGoroutines() bool {
	deadline := time.Now().Add(3 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		var leaked []string
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "ovrseer/unit.(*Unit)") || strings.Contains(g, "ovrseer/unit.waitGroupGone") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return false
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "leaked goroutines:\n%s\n", strings.Join(leaked, "\n\n"))
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// childSpec is a Spec running this test binary as a child in mode.
func childSpec(mode string, args ...string) Spec {
	return Spec{
		Name: mode,
		Argv: append([]string{os.Args[0], mode}, args...),
		Env:  []string{childEnvVar + "=1", "GORACE=atexit_sleep_ms=0"}, // no 1 s pause at exit under -race
		// An Ovrfile's defaults: a zero duration would mean "at once".
		Backoff: DefaultBackoff, MaxBackoff: DefaultMaxBackoff, StopTimeout: DefaultStopTimeout,
	}
}

// child runs one child mode and returns its exit code.
func child(args []string) int {
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	defer out.Flush()
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	num := func(i int) int { n, _ := strconv.Atoi(arg(i)); return n }
	switch arg(0) {
	case "lines": // lines N: "line i" on stdout, exit 0
		for i := range num(1) {
			fmt.Fprintf(out, "line %d\n", i)
		}
	case "flood": // flood N: N lines of 100 bytes
		line := []byte(strings.Repeat("x", 99) + "\n")
		for range num(1) {
			out.Write(line)
		}
	case "exit": // exit CODE [LINE...]: print the lines, exit CODE
		for _, l := range args[2:] {
			fmt.Fprintln(out, l)
		}
		return num(1)
	case "sleep": // sleep forever (default signal dispositions)
		select {}
	case "ignoreterm": // ignore SIGTERM, say so, sleep forever
		signal.Ignore(syscall.SIGTERM)
		fmt.Println("ignoring")
		select {}
	case "termexit": // exit CODE on SIGTERM
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM)
		fmt.Println("waiting")
		<-c
		return num(1)
	case "readyafter": // readyafter MS stdout|stderr: then "listening", sleep
		time.Sleep(time.Duration(num(1)) * time.Millisecond)
		w := os.Stdout
		if arg(2) == "stderr" {
			w = os.Stderr
		}
		fmt.Fprintln(w, "\x1b[32mlistening\x1b[0m on :8080")
		select {}
	case "grandchild": // print, start a grandchild holding stdout, exit 0
		for i := range 100 {
			fmt.Fprintf(out, "line %d\n", i)
		}
		out.Flush()
		gc := exec.Command(os.Args[0], "sleep")
		gc.Stdout = os.Stdout
		if err := gc.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(out, "grandchild %d\n", gc.Process.Pid)
	case "longline": // a 10 MB line, then "next"
		out.WriteString(strings.Repeat("y", 10<<20))
		out.WriteString("\nnext\n")
	case "nonl": // a final line without newline
		out.WriteString("first\npartial")
	case "echo": // echo stdin lines as "echo: LINE"
		fmt.Println("ready")
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			fmt.Println("echo: " + in.Text())
		}
	case "env": // open fds above 2 and the service-manager variables
		for fd := 3; fd < 256; fd++ {
			if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil {
				continue
			}
			// The Go runtime keeps its cgroup CPU limit files open.
			if target, _ := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", fd)); !strings.HasPrefix(target, "/sys/fs/cgroup/") {
				fmt.Fprintf(out, "fd %d open: %s\n", fd, target)
			}
		}
		for _, kv := range os.Environ() {
			if strings.HasPrefix(kv, "NOTIFY_SOCKET=") || strings.HasPrefix(kv, "LISTEN_") {
				fmt.Fprintln(out, "env "+kv)
			}
		}
		st, err := os.Stdin.Stat()
		if err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintln(out, "stdin chardev")
		}
		fmt.Fprintln(out, "env done")
	case "supervise": // run a unit of "sleep", print its pid, wait to be killed
		// No watchdog (not enabled in a child): Pdeathsig alone.
		spawned := make(chan int, 1)
		u, err := New(childSpec("sleep"), Options{OnEvent: func(e Event) {
			if e.Kind == EventSpawn {
				spawned <- e.Pid
			}
		}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		u.Start()
		fmt.Println(<-spawned)
		select {}
	default:
		fmt.Fprintf(os.Stderr, "unknown child mode %q\n", arg(0))
		return 2
	}
	return 0
}
