package engine_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// A dependency that is ready once it prints "ready", and a main process
// that runs to completion: the run ends on its own.
func Example() {
	plan := engine.Plan{Processes: []engine.Process{
		{Name: "db", Group: engine.Dependencies, Spec: unit.Spec{
			Argv:  []string{"sh", "-c", "echo ready; exec sleep 30"},
			Ready: []unit.Check{{Kind: unit.CheckLog, Pattern: "ready", Timeout: 10 * time.Second}},
		}},
		{Name: "app", Group: engine.Main, Autostart: true, Spec: unit.Spec{
			Argv: []string{"sh", "-c", "echo working"},
		}},
	}}
	e, err := engine.New(plan, engine.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	sub := e.Subscribe(engine.SubscribeOptions{})
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		var batch []engine.Event
		for {
			select {
			case <-sub.Ready():
			case <-sub.Done():
			}
			batch = sub.Take(batch[:0])
			for _, ev := range batch {
				// Events of different processes may interleave; print
				// those whose order the lifecycle fixes.
				if ev.Type.IsLifecycle() || ev.Process == "db" && ev.Type != engine.ProcessLog {
					fmt.Println(strings.TrimSpace(string(ev.Type) + " " + ev.Process))
				}
			}
			if ev := batch; len(ev) > 0 && ev[len(ev)-1].Type == engine.LifecycleExit {
				return
			}
		}
	}()
	code := e.Run(context.Background())
	<-printed
	fmt.Println("exit code", code)
	// Output:
	// lifecycle:start
	// process:spawn db
	// process:ready db
	// lifecycle:dependencies-ready
	// lifecycle:main-started
	// lifecycle:main-ready
	// lifecycle:shutdown
	// lifecycle:main-stopped
	// lifecycle:cleanup-started
	// lifecycle:cleanup-complete
	// process:exit db
	// lifecycle:exit
	// exit code 0
}
