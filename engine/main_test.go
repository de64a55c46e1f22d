package engine

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/internal/reaper"
	"github.com/ovrseer/ovrseer/unit"
)

// childEnv makes the re-executed test binary act as a child process.
const childEnv = "OVRSEER_ENGINE_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(child(os.Args[1:]))
	}
	reaper.Init() // its goroutines live as long as the process: not a test's leak
	os.Exit(m.Run())
}

// child runs one behaviour of a test child process:
//
//	serve             print "ready", then wait to be signalled
//	ignore-term       ignore SIGTERM, print "ready", wait for SIGKILL
//	exit CODE         exit with CODE
//	kill-self         SIGKILL itself
//	lines N           print N lines of 100 bytes, exit 0
//	pidfile PATH      write its pid to PATH, print "ready", wait
//	alive PATH        exit 0 if the pid in PATH is alive, else 1
//	echo              print every stdin line back
//	await PATH        once PATH exists print "ready", then wait
//	flood             print lines of 100 bytes until killed
func child(args []string) int {
	switch args[0] {
	case "await":
		for _, err := os.Stat(args[1]); err != nil; _, err = os.Stat(args[1]) {
			time.Sleep(5 * time.Millisecond) // a child polling a file: nothing to wait on
		}
		fmt.Println("ready")
		block()
	case "flood":
		w := bufio.NewWriterSize(os.Stdout, 64<<10)
		pad := strings.Repeat("x", 90)
		for i := 0; ; i++ {
			fmt.Fprintf(w, "%08d %s\n", i, pad)
		}
	case "serve":
		fmt.Println("ready")
		block()
	case "ignore-term":
		signal.Ignore(syscall.SIGTERM)
		fmt.Println("ready")
		block()
	case "exit":
		code, _ := strconv.Atoi(args[1])
		return code
	case "kill-self":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		block()
	case "lines":
		return printLines(args[1])
	case "pidfile":
		os.WriteFile(args[1], []byte(strconv.Itoa(os.Getpid())), 0o600)
		fmt.Println("ready")
		block()
	case "alive":
		return alive(args[1])
	case "echo":
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			fmt.Println("got " + sc.Text())
		}
		return 0
	}
	fmt.Fprintln(os.Stderr, "unknown child mode", args)
	return 2
}

// block waits to be signalled (a bare select{} would be a deadlock to the
// runtime: no other goroutine runs in a child).
func block() {
	for {
		time.Sleep(time.Hour)
	}
}

func printLines(arg string) int {
	n, _ := strconv.Atoi(arg)
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	pad := strings.Repeat("x", 90)
	for i := range n {
		fmt.Fprintf(w, "%08d %s\n", i, pad)
	}
	w.Flush()
	return 0
}

func alive(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 1
	}
	pid, _ := strconv.Atoi(string(b))
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return 1
	}
	return 0
}

// spec returns a unit.Spec running the test binary as a child in mode args,
// with short timeouts.
func spec(args ...string) unit.Spec {
	return unit.Spec{
		Argv:        append([]string{os.Args[0]}, args...),
		Env:         []string{childEnv + "=1"},
		Backoff:     20 * time.Millisecond,
		StopTimeout: 500 * time.Millisecond,
	}
}

// readyLog is a ready.log("ready") check.
var readyLog = unit.Check{Kind: unit.CheckLog, Pattern: "^ready$", Timeout: 10 * time.Second}

func dep(name string, s unit.Spec, deps ...string) Process {
	return Process{Name: name, Group: Dependencies, Spec: s, Deps: deps}
}

func mainProc(name string, s unit.Spec, deps ...string) Process {
	return Process{Name: name, Group: Main, Spec: s, Deps: deps, Autostart: true}
}

func cleanupProc(name string, s unit.Spec) Process {
	return Process{Name: name, Group: Cleanup, Spec: s}
}

func withReady(s unit.Spec, checks ...unit.Check) unit.Spec {
	s.Ready = checks
	return s
}

// waitLimit bounds every wait in these tests.
const waitLimit = 20 * time.Second

// recorder collects every event of a subscription on its own goroutine.
type recorder struct {
	sub     *Subscription
	mu      sync.Mutex
	events  []Event
	changed chan struct{} // closed and replaced on every batch
	done    chan struct{}
}

func record(e *Engine) *recorder {
	r := &recorder{sub: e.Subscribe(SubscribeOptions{Record: true}), changed: make(chan struct{}), done: make(chan struct{})}
	go r.loop()
	return r
}

func (r *recorder) loop() {
	defer close(r.done)
	var batch []Event
	for {
		select {
		case <-r.sub.Ready():
		case <-r.sub.Done():
			r.add(r.sub.Take(batch[:0]))
			return
		}
		batch = r.sub.Take(batch[:0])
		r.add(batch)
	}
}

func (r *recorder) add(batch []Event) {
	r.mu.Lock()
	r.events = append(r.events, batch...)
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

// wait returns the first event matching pred, waiting for it.
func (r *recorder) wait(t *testing.T, what string, pred func(Event) bool) Event {
	t.Helper()
	deadline := time.After(waitLimit)
	for i := 0; ; {
		r.mu.Lock()
		for ; i < len(r.events); i++ {
			if pred(r.events[i]) {
				ev := r.events[i]
				r.mu.Unlock()
				return ev
			}
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-r.done:
			select {
			case <-changed:
				continue
			default:
			}
			t.Fatalf("the run ended without %s", what)
		case <-deadline:
			t.Fatalf("no %s within %s", what, waitLimit)
		}
	}
}

func (r *recorder) waitType(t *testing.T, typ Type, process string) Event {
	t.Helper()
	return r.wait(t, string(typ)+" "+process, func(e Event) bool { return e.Type == typ && e.Process == process })
}

// all waits for the end of the subscription and returns every event.
func (r *recorder) all(t *testing.T) []Event {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(waitLimit):
		t.Fatalf("subscription not done within %s", waitLimit)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.events
}

// start runs e in the background; the returned func waits for its code.
func start(t *testing.T, e *Engine) func() int {
	t.Helper()
	code := make(chan int, 1)
	go func() { code <- e.Run(context.Background()) }()
	return func() int {
		t.Helper()
		select {
		case c := <-code:
			return c
		case <-time.After(waitLimit):
			t.Fatalf("Run did not return within %s", waitLimit)
			return -1
		}
	}
}

// runPlan runs plan to its end, checks that no goroutine outlives it, and
// returns the exit code and every event.
func runPlan(t *testing.T, plan Plan) (int, []Event) {
	t.Helper()
	e, r := newRecorded(t, plan)
	code := start(t, e)()
	return code, r.all(t)
}

// newRecorded builds an engine with a recorder and registers the
// goroutine-leak check.
func newRecorded(t *testing.T, plan Plan) (*Engine, *recorder) {
	t.Helper()
	checkGoroutines(t)
	e, err := New(plan, Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e, record(e)
}

// checkGoroutines fails the test if, once it is over, more goroutines run
// than before it started (waiting a little for them to end).
func checkGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("goroutines: %d before, %d after:\n%s", before, runtime.NumGoroutine(),
					buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(10 * time.Millisecond) // polling a counter: nothing to wait on
		}
	})
}

// index returns the position of the first event matching typ and process
// (process "" matches any), or -1.
func index(events []Event, typ Type, process string) int {
	for i, e := range events {
		if e.Type == typ && (process == "" || e.Process == process) {
			return i
		}
	}
	return -1
}

func count(events []Event, typ Type, process string) int {
	n := 0
	for _, e := range events {
		if e.Type == typ && (process == "" || e.Process == process) {
			n++
		}
	}
	return n
}

// assertOrder asserts that every step occurs, in the order given.
func assertOrder(t *testing.T, events []Event, steps ...string) {
	t.Helper()
	last := -1
	for _, s := range steps {
		typ, process, _ := strings.Cut(s, " ")
		i := index(events, Type(typ), process)
		if i < 0 {
			t.Fatalf("no %s in:\n%s", s, dump(events))
		}
		if i < last {
			t.Fatalf("%s came before the previous step in:\n%s", s, dump(events))
		}
		last = i
	}
}

func dump(events []Event) string {
	var b strings.Builder
	for _, e := range events {
		if e.Type == ProcessLog {
			continue
		}
		fmt.Fprintf(&b, "  %s %s %s %s %s\n", e.Type, e.Process, e.Reason, e.Error, e.Signal)
	}
	return b.String()
}
