package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/unit"
)

func TestValidateReportsEverything(t *testing.T) {
	sh := func(cmd string) unit.Spec { return unit.Spec{Argv: []string{"sh", "-c", cmd}} }
	badCheck := sh("true")
	badCheck.Ready = []unit.Check{{Kind: unit.CheckLog, Pattern: "(unclosed"}}
	negative := sh("true")
	negative.StopTimeout = -time.Second
	plan := Plan{
		Processes: []Process{
			dep("db", sh("db")),
			dep("db", sh("db again")),
			dep("a", sh("a"), "b"),
			dep("b", sh("b"), "c"),
			dep("c", sh("c"), "a"),
			dep("d2", sh("d2"), "api"),
			mainProc("api", sh("api"), "ghost", "db", "api"),
			mainProc("empty", unit.Spec{}),
			mainProc("regex", badCheck),
			mainProc("neg", negative),
			{Name: "odd", Group: "elsewhere", Spec: sh("x")},
			{Name: "manual", Group: Main, Spec: sh("x")},
			mainProc("auto", sh("x"), "manual"),
			mainProc("flagged", unit.Spec{Argv: []string{"x"}, Flags: []flagset.Flag{{Name: "f", Pattern: "(bad"}}}),
		},
		Settings: Settings{ExitWith: "nobody", Timeout: -1},
	}
	err := plan.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.Contains(msg, `"api": dep "db"`) {
		t.Errorf("a main process may name a dependency in deps: %s", msg)
	}
	for _, want := range []string{
		`"db": duplicate name`,
		`dependency cycle: a -> b -> c -> a`,
		`"api": unknown dep "ghost"`,
		`"d2": dep "api" is in group "main", not "dependencies"`,
		`"api": depends on itself`,
		`"empty": empty command`,
		`"regex": ready.log("(unclosed")`,
		`"neg": negative`,
		`"odd": unknown group "elsewhere"`,
		`exit_with: unknown process "nobody"`,
		`settings: negative timeout`,
		`"flagged": flags:`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "dependency cycle"); n != 1 {
		t.Errorf("cycle reported %d times:\n%s", n, msg)
	}
	if _, err := New(plan, Options{}); err == nil {
		t.Error("New accepted an invalid plan")
	}
}

func TestValidateAcceptsGoodPlan(t *testing.T) {
	plan := Plan{Processes: []Process{
		dep("db", spec("serve")),
		dep("cache", spec("serve"), "db"),
		mainProc("api", spec("serve")),
		mainProc("worker", spec("serve"), "api"),
		cleanupProc("flush", spec("exit", "0")),
	}, Settings: Settings{ExitWith: "api"}}
	if err := plan.Validate(); err != nil {
		t.Fatal(err)
	}
}
