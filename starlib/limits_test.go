package starlib

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// loadSrc loads src as an Ovrfile in a temporary directory.
func loadSrc(t *testing.T, src string, adjust ...func(*Options)) error {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Ovrfile.star")
	mustWrite(t, path, src)
	opts := testOpts()
	opts.MaxSteps = 50_000_000
	for _, f := range adjust {
		f(&opts)
	}
	_, err := Load(path, opts)
	return err
}

const deepList = `
def deep(n):
    x = []
    for i in range(n):
        x = [x]
    return x
`

// Nothing in a loaded file reaches a Go fatal error (stack overflow, out
// of memory) or runs past the limits: nesting is bounded before the
// recursive builtins run and allocating builtins check sizes first.
func TestLoadLimitsInsideBuiltins(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"json.decode deep", `json.decode("[" * 3000000 + "]" * 3000000)`, "json.decode: nested deeper than 1000 levels"},
		{"json.decode deep objects", `json.decode('{"a":' * 100000 + '1' + '}' * 100000)`, "nested deeper than 1000 levels"},
		{"json.encode deep", deepList + `json.encode(deep(5000))`, "value nested deeper than 1000 levels"},
		{"hash deep tuple", `
t = ()
for i in range(100000):
    t = (t,)
d = {t: 1}
`, "value nested deeper than 1000 levels"},
		{"hash deep struct", `
s = struct(x = 1)
for i in range(100000):
    s = struct(x = (s,))
d = {s: 1}
`, "value nested deeper than 1000 levels"},
		{"list(range)", `x = list(range(100000000))`, "list: too many elements (100000000, at most 4194304)"},
		{"repeat", `x = "x" * 100000000`, "excessive repeat"},
		{"string doubling", `
s = "x"
for i in range(40):
    s = s + s
`, "string too long"},
		{"list doubling", `
l = [1]
for i in range(40):
    l = l + l
`, "too many elements"},
		{"list +=", `
l = [1]
for i in range(40):
    l += l
`, "too many elements"},
		{"join", `
s = "x" * 10000000
x = ",".join([s, s, s])
`, "string too long"},
		{"replace", `x = ("x" * 1000000).replace("x", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy")`, "string too long"},
		{"format", `x = ("{0}" * 100).format("x" * 1000000)`, "string too long"},
		{"percent", `x = ("%s" * 100) % tuple(["x" * 1000000] * 100)`, "string too long"},
		{"int squaring", `
x = 3
for i in range(40):
    x = x * x
`, "int too large"},
		{"comprehension", `x = [i for i in range(10000000)]`, "too many elements|loading took longer than"},                                // 4M steps: may reach the clock first under -race
		{"dict comprehension", `x = {i: i for i in range(10000000)}`, "too many elements|memory budget exceeded|loading took longer than"}, // slow under -race
		{"split", `x = ("a," * 8000000).split(",")`, "too many elements"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := loadSrc(t, c.src)
			if err == nil || !containsAny(err.Error(), strings.Split(c.want, "|")) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
			if !strings.Contains(err.Error(), "Ovrfile.star:") {
				t.Errorf("the error names no position: %v", err)
			}
			t.Logf("%v in %s", err, time.Since(start).Round(time.Millisecond))
		})
	}
}

// Printing a value nested 1,000,000 deep stops at 1,000 levels, at once.
func TestStrOfDeepListIsBounded(t *testing.T) {
	start := time.Now()
	err := loadSrc(t, deepList+`
s = str(deep(1000000))
if s.count("[") != 1001 or not s.endswith("[...]" + "]" * 1000):
    fail("str(deep) = %s...%s (%d)" % (s[:20], s[-20:], len(s)))
r = repr([deep(5000), {"k": deep(5000)}])
t = "%s %r" % (deep(5000), deep(5000))
print(deep(5000))
x = deep(5000) == deep(5000)
`, func(o *Options) { o.LoadTimeout = time.Minute })
	if err == nil || !strings.Contains(err.Error(), "comparison exceeded maximum recursion depth") {
		t.Fatalf("got %v, want only the comparison refused", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %s", d)
	}
}

// A hook hitting a limit fails as a hook (reported, the engine goes on).
func TestHookDeepJSONFailsTheHookOnly(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"))

def bomb(ctx):
    json.decode("[" * 3000000 + "]" * 3000000)

def after(ctx):
    ctx.exit(7)

on("main-ready", bomb)
on("lifecycle:error", after)
`)
	if r.code != 7 {
		r.dump(t)
		t.Fatalf("exit code %d, want 7 (the engine went on to the next hook)", r.code)
	}
	if r.index(engine.LifecycleError, "hook:bomb", "nested deeper than 1000 levels") < 0 {
		r.dump(t)
		t.Error("no lifecycle:error naming the depth limit")
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Zero means what it says: check shows "SIGKILL after 0s" and the spec
// carries the zeros to the unit.
func TestZeroDurationsSurvive(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "Ovrfile.star"), `process("a", "./a", stop_timeout = "0s", backoff = "0s", max_backoff = "0s", max_restarts = 0)`)
	o, err := Load(filepath.Join(dir, "Ovrfile.star"), testOpts())
	if err != nil {
		t.Fatal(err)
	}
	s := o.Plan.Processes[0].Spec
	if s.StopTimeout != 0 || s.Backoff != 0 || s.MaxBackoff != 0 || s.MaxRestarts != 0 {
		t.Errorf("spec = %+v, want the zeros", s)
	}
	var b strings.Builder
	if err := o.WritePlan(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "restart: on-failure (max 0, backoff 0s..0s); stop: SIGTERM, then SIGKILL after 0s") {
		t.Errorf("plan:\n%s", b.String())
	}
}

// ctx.* timeouts hold to 1ms–24h: "0s" fails the hook instead of meaning
// "no limit".
func TestCtxTimeoutZeroFailsTheHook(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"))

def zero(ctx):
    ctx.wait_ready("app", timeout = "0s")

def after(ctx):
    ctx.exit(4)

on("main-ready", zero)
on("lifecycle:error", after)
`)
	if r.code != 4 || r.index(engine.LifecycleError, "hook:zero", "0s is out of range 1ms–24h") < 0 {
		r.dump(t)
		t.Fatalf("exit %d, want 4 and the range error", r.code)
	}
}
