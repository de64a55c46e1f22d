package starlib

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// runResult is what one run of an Ovrfile did.
type runResult struct {
	code   int
	events []engine.Event
	dir    string
}

// runOvrfile loads src in a temporary directory and runs it on a real
// engine with its hooks attached, within a deadline.
func runOvrfile(t *testing.T, src string, adjust ...func(*Options)) runResult {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "Ovrfile.star")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := testOpts()
	for _, f := range adjust {
		f(&opts)
	}
	o, err := Load(path, opts)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	o.Plan.Settings.CrashDir = ""
	e, err := engine.New(o.Plan, engine.Options{})
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	sub := e.Subscribe(engine.SubscribeOptions{})
	r := o.Attach(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- e.Run(ctx) }()
	var code int
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not end")
	}
	r.Wait(ctx)
	if ctx.Err() != nil {
		t.Fatalf("the run hit the test deadline")
	}
	return runResult{code: code, events: sub.Take(nil), dir: dir}
}

// index returns the position of the first event of typ for process whose
// line or error contains text, or -1.
func (r runResult) index(typ engine.Type, process, text string) int {
	return slices.IndexFunc(r.events, func(ev engine.Event) bool {
		return ev.Type == typ && (process == "" || ev.Process == process) &&
			strings.Contains(ev.Line+ev.Error, text)
	})
}

func (r runResult) dump(t *testing.T) {
	t.Helper()
	for _, ev := range r.events {
		t.Logf("%s %s %s%s", ev.Type, ev.Process, ev.Line, ev.Error)
	}
}

const dbDep = `dependency("db", "echo ready; exec sleep 30", ready = ready.log("ready"))
`

func TestGateMigrationBeforeMain(t *testing.T) {
	r := runOvrfile(t, dbDep+`
process("app", "cat migrated.txt")
settings(exit_with = "app")

def migrate(ctx):
    res = ctx.sh("echo migrating; echo done > migrated.txt")
    if res.code != 0 or res.stdout != "migrating\n" or not res.ok or res.duration < 0:
        ctx.fail("unexpected result %s" % res)

on("dependencies-ready", migrate)
`)
	if r.code != 0 {
		r.dump(t)
		t.Fatalf("exit code %d, want 0 (app must find migrated.txt)", r.code)
	}
	line := r.index(engine.ProcessLog, "hook:migrate", "migrating")
	spawn := r.index(engine.ProcessSpawn, "app", "")
	if line < 0 || spawn < 0 || line > spawn {
		r.dump(t)
		t.Fatalf("hook output at %d, app spawned at %d: want the migration's output first", line, spawn)
	}
}

func TestGateFailureAbortsStartup(t *testing.T) {
	r := runOvrfile(t, dbDep+`
process("app", "echo should-not-run")

def migrate(ctx):
    ctx.sh("echo oops >&2; exit 7")

on("dependencies-ready", migrate)
`)
	if r.code != 1 {
		r.dump(t)
		t.Fatalf("exit code %d, want 1", r.code)
	}
	if i := r.index(engine.ProcessSpawn, "app", ""); i >= 0 {
		t.Errorf("app was spawned after a failing gate")
	}
	if i := r.index(engine.LifecycleError, "", "sh: echo oops >&2; exit 7 exited with code 7\noops"); i < 0 {
		r.dump(t)
		t.Errorf("no lifecycle:error quoting the command, its code and stderr")
	}
	if i := r.index(engine.ProcessLog, "hook:migrate", "Traceback"); i < 0 {
		t.Errorf("no backtrace shown as hook:migrate")
	}
}

func TestHookTimeoutCancelsLoop(t *testing.T) {
	start := time.Now()
	r := runOvrfile(t, dbDep+`
process("app", "echo never")

def spin(ctx):
    n = 0
    while True:
        n += 1

on("dependencies-ready", spin, timeout = "300ms")
`)
	if r.code != 1 {
		t.Fatalf("exit code %d, want 1 (a timed-out gate aborts startup)", r.code)
	}
	if i := r.index(engine.LifecycleError, "", "timed out after 300ms"); i < 0 {
		r.dump(t)
		t.Errorf("no lifecycle:error saying the hook timed out")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("run took %s", d)
	}
}

func TestHookTimeoutKillsShGroup(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"))

def slow(ctx):
    ctx.sh("sleep 30 & echo $! > bg.pid; sleep 30")

def after(ctx):
    ctx.exit(9)

on("main-ready", slow, timeout = "500ms")
on("lifecycle:error", after)
`)
	if r.code != 9 {
		r.dump(t)
		t.Fatalf("exit code %d, want 9 (the error hook after the timeout)", r.code)
	}
	if i := r.index(engine.LifecycleError, "hook:slow", "timed out"); i < 0 {
		r.dump(t)
		t.Errorf("no timeout error for hook slow")
	}
	raw, err := os.ReadFile(filepath.Join(r.dir, "bg.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("background process %d of ctx.sh survived the hook's timeout", pid)
		}
		time.Sleep(20 * time.Millisecond) // polling a pid: there is no event to wait on
	}
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}

func TestCtxExit(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"))

def done(ctx):
    ctx.exit(3)
    ctx.fail("not reached")

on("main-ready", done)
`)
	if r.code != 3 {
		r.dump(t)
		t.Fatalf("exit code %d, want 3", r.code)
	}
	if i := r.index(engine.LifecycleError, "", "not reached"); i >= 0 {
		t.Errorf("the hook went on after ctx.exit")
	}
}

func TestCtxRunLogsStatusWaitReady(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"), flags = [flag("ups", "up")])
process("job", "echo job-out; exit 4", autostart = False, restart = "always")

def check(ctx):
    problems = []
    ctx.wait_ready("app", timeout = "5s")
    s = ctx.status("app")
    if s.state != "ready" or s.pid == None or s.exit_code != None or s.flags != {"ups": 1}:
        problems.append("status of app: %s" % s)
    if ctx.status("job").state != "pending":
        problems.append("job: %s" % ctx.status("job"))
    res = ctx.run("job", timeout = "5s")
    if res.code != 4 or res.ok:
        problems.append("run: %s" % res)
    if ctx.logs("job") != ["job-out"]:
        problems.append("logs: %s" % ctx.logs("job"))
    if ctx.logs("app", n = 1) != ["up"]:
        problems.append("app logs: %s" % ctx.logs("app"))
    if ctx.event.type != "lifecycle:main-ready" or ctx.event.process != None or ctx.event.duration_ms == None:
        problems.append("event: %s" % ctx.event)
    for p in problems:
        ctx.log(p)
    ctx.exit(1 if problems else 42)

on("main-ready", check)
`)
	if r.code != 42 {
		r.dump(t)
		t.Fatalf("exit code %d, want 42", r.code)
	}
}

func TestCtxRestart(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"))

first = {}

def kick(ctx):
    ctx.restart("app")

def ready_again(ctx):
    ups = [l for l in ctx.logs("app") if l == "up"]
    if len(ups) >= 2:
        ctx.exit(42 if ctx.status("app").pid == ctx.event.pid else 1)

on("main-ready", kick)
on("process:ready", ready_again, process = "app")
`)
	if r.code != 42 {
		r.dump(t)
		t.Fatalf("exit code %d, want 42 (app ready a second time after ctx.restart)", r.code)
	}
	if n := countEvents(r.events, engine.ProcessSpawn, "app"); n != 2 {
		t.Errorf("app spawned %d times, want 2", n)
	}
}

func countEvents(evs []engine.Event, typ engine.Type, process string) int {
	n := 0
	for _, ev := range evs {
		if ev.Type == typ && ev.Process == process {
			n++
		}
	}
	return n
}

func TestFailingHookReportedEngineGoesOn(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"))

def helper():
    fail("broken")

def bad(ctx):
    helper()

def late(ctx):
    process("late", "./late")

def on_error(ctx):
    if ctx.event.process == "hook:late":
        ctx.exit(5)

on("main-ready", bad)
on("main-ready", late)
on("lifecycle:error", on_error)
`)
	if r.code != 5 {
		r.dump(t)
		t.Fatalf("exit code %d, want 5", r.code)
	}
	if i := r.index(engine.LifecycleError, "hook:bad", "broken"); i < 0 {
		t.Errorf("no lifecycle:error for hook bad")
	}
	if i := r.index(engine.ProcessLog, "hook:bad", "in helper"); i < 0 {
		r.dump(t)
		t.Errorf("no backtrace through helper in hook:bad output")
	}
	if i := r.index(engine.LifecycleError, "hook:late", "only allowed while the Ovrfile loads"); i < 0 {
		r.dump(t)
		t.Errorf("a declaration inside a hook was not refused")
	}
}

func TestHookFlagFilter(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo 'warn a'; echo 'err b'; exec sleep 30",
        flags = [flag("warn", "warn"), flag("err", "err", color = "red")])

def on_err(ctx):
    ev = ctx.event
    ok = ev.flag == "err" and ev.line == "err b" and ev.count == 1 and ev.target == None and ev.context == ("err b",)
    ctx.exit(42 if ok else 1)

on("flag:matched", on_err, process = "app", flag = "err")
`)
	if r.code != 42 {
		r.dump(t)
		t.Fatalf("exit code %d, want 42 (the hook sees only the err match)", r.code)
	}
}

func TestHookStepLimit(t *testing.T) {
	r := runOvrfile(t, dbDep+`
process("app", "echo never")

def spin(ctx):
    while True:
        pass

on("dependencies-ready", spin, timeout = "1m")
`, func(o *Options) { o.HookMaxSteps = 10_000 })
	if r.code != 1 {
		t.Fatalf("exit code %d, want 1", r.code)
	}
	if i := r.index(engine.LifecycleError, "", "too many steps"); i < 0 {
		r.dump(t)
		t.Errorf("no lifecycle:error for the step limit")
	}
}

// TestWaitRunsExitHooksAndGivesUp: hooks queued before lifecycle:exit run
// in Wait; when Wait's context ends, the running hook is cancelled and its
// ctx.sh killed.
func TestWaitRunsExitHooksAndGivesUp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Ovrfile.star")
	src := `
process("app", "exit 0")
settings(exit_with = "app", crash_dir = "")

def bye(ctx):
    ctx.sh("echo $$ > sh.pid; exec sleep 30")

on("lifecycle:exit", bye)
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := Load(path, testOpts())
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(o.Plan, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := o.Attach(e)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if code := e.Run(ctx); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	pidFile := filepath.Join(dir, "sh.pid")
	waitCtx, stop := context.WithCancel(context.Background())
	go func() {
		// End Wait once the exit hook's command is running.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if raw, err := os.ReadFile(pidFile); err == nil && len(raw) > 0 && raw[len(raw)-1] == '\n' {
				break
			}
			time.Sleep(10 * time.Millisecond) // polling a file written by a child
		}
		stop()
	}()
	start := time.Now()
	r.Wait(waitCtx)
	if d := time.Since(start); d > waitGrace {
		t.Fatalf("Wait took %s", d)
	}
	raw, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the exit hook did not run: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("ctx.sh process %d survived Wait's cancellation", pid)
		}
		time.Sleep(20 * time.Millisecond) // polling a pid: there is no event to wait on
	}
}

// A process:log hook is a view: a line that follows a loss tells the hook
// how many of its process's lines were lost (ctx.event.dropped); losses of
// another process are not counted, and the count starts again.
func TestLogHookSeesDropped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Ovrfile.star")
	src := `
process("a", "true")
process("b", "true")

def on_line(ctx):
    ctx.fail("%s %s" % (ctx.event.line, ctx.event.dropped))

on("process:log", on_line, process = "a")
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := Load(path, testOpts())
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(o.Plan, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := e.Subscribe(engine.SubscribeOptions{})
	o.rt.eng.Store(e)
	r := &Runner{hooks: o.hooks, e: e, lost: map[string]int{}, ctx: context.Background()} // no worker: dispatch is called here
	logLine := func(proc, line string) engine.Event {
		return engine.Event{Type: engine.ProcessLog, Process: proc, Line: line}
	}
	r.dispatch([]engine.Event{
		logLine("a", "one"),
		{Type: engine.EventsDropped, Process: "a", Count: 5},
		{Type: engine.EventsDropped, Process: "b", Count: 7},
		logLine("b", "other"),
		logLine("a", "two"),
		logLine("a", "three"),
	})
	var got []string
	for _, ev := range sub.Take(nil) {
		if ev.Type == engine.LifecycleError {
			got = append(got, ev.Error[strings.LastIndex(ev.Error, ":")+2:])
		}
	}
	if want := "one 0|two 5|three 0"; strings.Join(got, "|") != want {
		t.Errorf("hooks saw %q, want %q", strings.Join(got, "|"), want)
	}
	e.Run(context.Background()) // a successful New must be followed by Run
}

// A failing argv command is quoted as a shell would need it.
func TestShFailureQuotesArgv(t *testing.T) {
	r := runOvrfile(t, dbDep+`
process("app", "echo should-not-run")

def migrate(ctx):
    ctx.sh(["sh", "-c", "echo oops >&2; exit 7", "it's", "plain-word"])

on("dependencies-ready", migrate)
`)
	want := `sh: sh -c 'echo oops >&2; exit 7' 'it'\''s' plain-word exited with code 7`
	if i := r.index(engine.LifecycleError, "", want); i < 0 {
		r.dump(t)
		t.Errorf("no lifecycle:error with %s", want)
	}
}
