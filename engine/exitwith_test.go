package engine

import (
	"testing"
)

// The exit of the exit_with process ends the run before anything waiting
// for it starts: an after(NAME, "completed" or "succeeded") dependent is
// never spawned (it used to be, then SIGTERMed by the shutdown).
func TestExitWithStartsNoDependent(t *testing.T) {
	then := func(name string, cond DepCond) Process {
		p := mainProc(name, spec("serve"), "tests")
		p.After = map[string]DepCond{"tests": cond}
		return p
	}
	for _, code := range []string{"0", "42"} {
		t.Run(code, func(t *testing.T) {
			plan := Plan{
				Processes: []Process{
					mainProc("tests", spec("exit", code)),
					then("report", DepCompleted),
					then("deploy", DepSucceeded),
				},
				Settings: Settings{ExitWith: "tests"},
			}
			got, events := runPlan(t, plan)
			if want := map[string]int{"0": 0, "42": 42}[code]; got != want {
				t.Errorf("exit code %d, want %d", got, want)
			}
			for _, p := range []string{"report", "deploy"} {
				if index(events, ProcessSpawn, p) >= 0 {
					t.Errorf("%s spawned after the exit_with process ended the run:\n%s", p, dump(events))
				}
			}
		})
	}
}
