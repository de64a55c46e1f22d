package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// A reload changes the list: an added process appears in its section with
// its lines, a removed one disappears (the selection moves off it), the
// others keep their lines.
func TestUIFollowsAReload(t *testing.T) {
	web := shProc("web", engine.Main, `echo web says hi; exec sleep 30`)
	gone := shProc("gone", engine.Main, `echo gone says hi; exec sleep 30`)
	h := startUI(t, web, gone)
	scr := h.scr
	scr.waitText(t, "● gone")
	scr.click(t, "● gone")
	scr.waitText(t, "gone (follow)", "gone says hi")

	plan := engine.Plan{Processes: []engine.Process{web, shProc("fresh", engine.Main, `echo fresh says hi; exec sleep 30`)}}
	if _, err := h.e.Reload(plan); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	lines := scr.waitFor(t, "fresh listed, gone not", func(l []string) bool {
		return rowWith(l, " fresh") != "" && rowWith(l, " gone") == ""
	})
	if strings.Contains(strings.Join(lines, "\n"), "gone (follow)") {
		t.Errorf("the log still shows the removed process:\n%s", strings.Join(lines, "\n"))
	}
	scr.click(t, " fresh")
	scr.waitText(t, "fresh (follow)", "fresh says hi")
	scr.click(t, " web")
	scr.waitText(t, "web (follow)", "web says hi")
	if code := h.quit(t); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

// After a reload brings in a longer name, the name column widens: every
// prefix stays aligned.
func TestHeadlessWidensForAReload(t *testing.T) {
	var out bytes.Buffer
	snap := []engine.ProcessStatus{{Name: "db"}}
	h := NewHeadless(&out, HeadlessOptions{Names: []string{"db"}, Snapshot: func() []engine.ProcessStatus { return snap }})
	src := newFakeSource()
	src.push(logEv("db", "before"))
	snap = append(snap, engine.ProcessStatus{Name: "a-long-name-here"})
	src.push(engine.Event{Type: engine.LifecycleReload, Reload: &engine.ReloadDiff{Added: []string{"a-long-name-here"}}},
		logEv("db", "after"), logEv("a-long-name-here", "new"))
	src.finish()
	within(t, 5*time.Second, runPrinter(h, src), "Run to return")
	want := "db      | before\n" +
		"ovrseer          | reloaded: added a-long-name-here\n" +
		"db               | after\n" +
		"a-long-name-here | new\n"
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
