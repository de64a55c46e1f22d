package starlib

import (
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

// ctx.run's ok follows the process's ok_codes, not code == 0.
func TestCtxRunOkCodes(t *testing.T) {
	r := runOvrfile(t, `
process("keeper", "echo up; exec sleep 30", ready = ready.log("up"))
process("three", "exit 3", autostart = False, ok_codes = [0, 3])
process("four", "exit 4", autostart = False, ok_codes = [0, 3])
process("plain", "exit 3", autostart = False)
process("zero", "exit 0", autostart = False)

def check(ctx):
    want = {"three": (3, True), "four": (4, False), "plain": (3, False), "zero": (0, True)}
    bad = []
    for name in ["three", "four", "plain", "zero"]:
        res = ctx.run(name, timeout = "10s")
        if (res.code, res.ok) != want[name]:
            bad.append("%s: %s" % (name, res))
    for b in bad:
        ctx.log("bad " + b)
    ctx.exit(1 if bad else 42)

on("main-ready", check)
`)
	if r.code != 42 {
		r.dump(t)
		t.Fatalf("exit code %d, want 42 (every ctx.run result as ok_codes say)", r.code)
	}
}

// The shared name of a replicated process works wherever a process name
// does: on(process = NAME) fires for every copy (ctx.event.process names
// the copy), ctx.wait_ready waits for all of them, ctx.run runs all of them,
// ctx.stop/start/restart act on all of them.
func TestReplicaSharedName(t *testing.T) {
	r := runOvrfile(t, `
process("keeper", "exec sleep 30")
process("web", "echo up $OVR_REPLICA; exec sleep 30", replicas = 3, ready = ready.log("up"))
process("job", "exit $OVR_REPLICA", replicas = 2, autostart = False, ok_codes = [1, 2])
process("mixed", "exit $((OVR_REPLICA + 1))", replicas = 3, autostart = False, ok_codes = [2])

def seen(ctx):
    ctx.log("ready " + ctx.event.process)
    copies = [ctx.status("web-%d" % i) for i in [1, 2, 3]]
    if all([c.state == "ready" and c.restarts == 1 for c in copies]):
        ctx.exit(42)  # every copy ready again after ctx.restart("web")

def check(ctx):
    bad = []
    ctx.wait_ready("web", timeout = "10s")
    for i in [1, 2, 3]:
        if ctx.status("web-%d" % i).state != "ready":
            bad.append("web-%d not ready after wait_ready(web)" % i)
    res = ctx.run("job", timeout = "10s")
    if (res.code, res.ok) != (1, True):
        bad.append("run(job): %s" % res)
    res = ctx.run("mixed", timeout = "10s")
    if (res.code, res.ok) != (3, False):
        bad.append("run(mixed): %s" % res)
    for i in [1, 2, 3]:
        if ctx.status("mixed-%d" % i).exit_code != i + 1:
            bad.append("mixed-%d: %s" % (i, ctx.status("mixed-%d" % i)))
    ctx.stop("web")
    for i in [1, 2, 3]:
        if ctx.status("web-%d" % i).state != "stopped":
            bad.append("web-%d not stopped after stop(web): %s" % (i, ctx.status("web-%d" % i)))
    ctx.start("web")
    ctx.wait_ready("web", timeout = "10s")
    for b in bad:
        ctx.log("bad " + b)
    if bad:
        ctx.exit(1)
    ctx.restart("web")

on("process:ready", seen, process = "web")
on("main-ready", check)
`)
	if r.code != 42 {
		r.dump(t)
		t.Fatalf("exit code %d, want 42", r.code)
	}
	for _, c := range []string{"web-1", "web-2", "web-3"} {
		// spawned at start, by ctx.start and by ctx.restart
		if n := countEvents(r.events, engine.ProcessSpawn, c); n != 3 {
			t.Errorf("%s spawned %d times, want 3", c, n)
		}
		// each time ready, and seen so by the hook on "web" under its own name
		ready := countEvents(r.events, engine.ProcessReady, c)
		if n := countLines(r.events, "hook:seen", "ready "+c); ready != 3 || n != ready {
			t.Errorf("%s ready %d times, the hook on web saw it %d times; want 3 and 3", c, ready, n)
		}
	}
	for _, c := range []string{"job-1", "job-2", "mixed-1", "mixed-2", "mixed-3"} {
		if n := countEvents(r.events, engine.ProcessSpawn, c); n != 1 {
			t.Errorf("%s spawned %d times, want 1", c, n)
		}
	}
	if t.Failed() {
		r.dump(t)
	}
}

// on(process = NAME-i) names one copy: it fires for that copy only.
func TestHookOnOneCopy(t *testing.T) {
	r := runOvrfile(t, `
process("web", "echo up; exec sleep 30", replicas = 2, ready = ready.log("up"))

def seen(ctx):
    ctx.log("ready " + ctx.event.process)

def done(ctx):
    ctx.exit(0)

on("process:ready", seen, process = "web-2")
on("main-ready", done)
`)
	if r.code != 0 {
		r.dump(t)
		t.Fatalf("exit code %d, want 0", r.code)
	}
	if countLines(r.events, "hook:seen", "ready web-2") != 1 || countLines(r.events, "hook:seen", "ready web-1") != 0 {
		r.dump(t)
		t.Errorf("want the hook on web-2 to see web-2 ready, once, and not web-1")
	}
}

// ctx.status and ctx.logs describe one process: the shared name is an
// error that names the copies.
func TestStatusLogsNeedOneCopy(t *testing.T) {
	r := runOvrfile(t, `
process("web", "echo up", replicas = 3)

def st(ctx):
    ctx.status("web")

def logs(ctx):
    ctx.logs("web")

on("main-ready", st)
on("main-ready", logs)
`)
	for _, h := range []string{"hook:st", "hook:logs"} {
		if r.index(engine.LifecycleError, h, `"web" has 3 replicas: name one of them (web-1 … web-3)`) < 0 {
			r.dump(t)
			t.Errorf("no error from %s naming the copies", h)
		}
	}
}

func countLines(evs []engine.Event, process, line string) int {
	n := 0
	for _, ev := range evs {
		if ev.Type == engine.ProcessLog && ev.Process == process && strings.TrimSpace(ev.Line) == line {
			n++
		}
	}
	return n
}
