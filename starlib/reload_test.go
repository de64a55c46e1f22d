package starlib

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// reloadRun runs the Ovrfile src on an engine with its hooks attached and
// returns what a test needs to reload it.
type reloadRun struct {
	t      *testing.T
	path   string
	e      *engine.Engine
	r      *Runner
	sub    *engine.Subscription
	events []engine.Event
	done   chan int
}

func startReloadRun(t *testing.T, src string) *reloadRun {
	t.Helper()
	rr := &reloadRun{t: t, path: filepath.Join(t.TempDir(), "Ovrfile.star"), done: make(chan int, 1)}
	o := rr.load(src)
	e, err := engine.New(o.Plan, engine.Options{})
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	rr.e, rr.sub = e, e.Subscribe(engine.SubscribeOptions{})
	rr.r = o.Attach(e)
	go func() { rr.done <- e.Run(context.Background()) }()
	t.Cleanup(rr.stop)
	return rr
}

func (rr *reloadRun) load(src string) *Ovrfile {
	rr.t.Helper()
	if err := os.WriteFile(rr.path, []byte(src), 0o644); err != nil {
		rr.t.Fatal(err)
	}
	o, err := Load(rr.path, testOpts())
	if err != nil {
		rr.t.Fatalf("load: %v", err)
	}
	o.Plan.Settings.CrashDir = ""
	return o
}

// reload loads src and applies it as main does: hooks staged, then the plan.
func (rr *reloadRun) reload(src string) {
	rr.t.Helper()
	o := rr.load(src)
	unstage := rr.r.Stage(o)
	if _, err := rr.e.Reload(o.Plan); err != nil {
		unstage()
		rr.t.Fatalf("reload: %v", err)
	}
}

// waitLine waits for a process:log line of process containing text.
func (rr *reloadRun) waitLine(process, text string) {
	rr.t.Helper()
	deadline := time.After(20 * time.Second)
	for i := 0; ; {
		for ; i < len(rr.events); i++ {
			ev := rr.events[i]
			if ev.Type == engine.ProcessLog && ev.Process == process && strings.Contains(ev.Line, text) {
				return
			}
		}
		select {
		case <-rr.sub.Ready():
			rr.events = rr.sub.Take(rr.events)
		case <-deadline:
			rr.t.Fatalf("no line %q of %s", text, process)
		}
	}
}

func (rr *reloadRun) has(process, text string) bool {
	rr.events = rr.sub.Take(rr.events)
	for _, ev := range rr.events {
		if ev.Type == engine.ProcessLog && ev.Process == process && strings.Contains(ev.Line, text) {
			return true
		}
	}
	return false
}

func (rr *reloadRun) stop() {
	rr.e.Quit()
	select {
	case <-rr.done:
	case <-time.After(20 * time.Second):
		rr.t.Error("the run did not end")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rr.r.Wait(ctx)
}

const hookV1 = `
process("web", "echo up; exec sleep 60", ready = ready.log("up"))
def said(ctx):
    ctx.sh("echo v1 saw " + ctx.event.process)
on("process:ready", said)
`

const hookV2 = `
process("web", "echo up; exec sleep 60", ready = ready.log("up"))
process("extra", "echo up; exec sleep 60", ready = ready.log("up"))
def said(ctx):
    ctx.sh("echo v2 saw " + ctx.event.process)
on("process:ready", said)
`

// A reload replaces the hooks: the next event (the added process's
// readiness) runs the new hook, never the old one.
func TestReloadReplacesHooks(t *testing.T) {
	rr := startReloadRun(t, hookV1)
	rr.waitLine("hook:said", "v1 saw web")
	rr.reload(hookV2)
	rr.waitLine("hook:said", "v2 saw extra")
	if rr.has("hook:said", "v1 saw extra") {
		t.Error("the old hook ran after the reload")
	}
}

// A stack that had no hook gets one by a reload: the queue starts then.
func TestReloadAddsTheFirstHook(t *testing.T) {
	rr := startReloadRun(t, `process("web", "echo up; exec sleep 60", ready = ready.log("up"))`)
	rr.waitLine("web", "up")
	rr.reload(hookV2)
	rr.waitLine("hook:said", "v2 saw extra")
}
