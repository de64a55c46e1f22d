package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// R restarts the main processes in deps order (engine.RestartAll): with
// db → api, api is stopped before db and started only once db is ready
// again; the status line says so.
func TestUIRestartAllInDepsOrder(t *testing.T) {
	ready := []unit.Check{{Kind: unit.CheckLog, Pattern: "^up$", Timeout: 10 * time.Second}}
	db := shProc("db", engine.Main, `sleep 0.2; echo up; exec sleep 30`)
	db.Spec.Ready = ready
	api := shProc("api", engine.Main, `echo up; exec sleep 30`)
	api.Spec.Ready, api.Deps = ready, []string{"db"}
	h := startUI(t, api, db)
	h.scr.waitFor(t, "both ready", func(l []string) bool { return rowWith(l, "● api") != "" && rowWith(l, "● db") != "" })
	sub := h.e.Subscribe(engine.SubscribeOptions{})
	defer sub.Close()
	h.scr.key('R')
	h.scr.waitText(t, "R: restarting api, db in deps order")
	var seen []string
	deadline := time.After(uiDeadline)
	for !strings.Contains(strings.Join(seen, ","), "process:ready api") {
		select {
		case <-sub.Ready():
			for _, ev := range sub.Take(nil) {
				if ev.Type != engine.ProcessLog {
					seen = append(seen, string(ev.Type)+" "+ev.Process)
				}
			}
		case <-deadline:
			t.Fatalf("api not ready again; events: %v", seen)
		}
	}
	want := []string{"process:exit api", "process:exit db", "process:restart db", "process:ready db", "process:restart api"}
	i := 0
	for _, s := range seen {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("events %v, want in order %v", seen, want)
	}
	h.quit(t)
}
