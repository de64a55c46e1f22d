package starlib

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/unit"
)

// healthValue is what health(check, every = "10s", failures = 3) returns.
type healthValue struct {
	h  unit.Health
	ok bool
}

var _ starlark.Value = (*healthValue)(nil)

func (v *healthValue) String() string {
	return fmt.Sprintf("health(%s, every = %q, failures = %d)", v.h.Check, unit.FormatDuration(v.h.Every), v.h.Failures)
}
func (v *healthValue) Type() string          { return "health" }
func (v *healthValue) Freeze()               {}
func (v *healthValue) Truth() starlark.Bool  { return true }
func (v *healthValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: health") }

// healthBuiltin is health(check, every = "10s", failures = 3): a liveness
// check for a process's health option (docs/ovrfile.md).
func healthBuiltin() *starlark.Builtin {
	return builtin("health", func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var (
			check    *checkValue
			every    = delayArg{unit.DefaultHealthEvery, unit.HealthEveryRange}
			failures = unit.DefaultHealthFailures
		)
		v := &healthValue{}
		if c.unpack(args, kwargs, 1, "check", &check, "every?", &every, "failures?", &failures) {
			c.intIn("failures", failures, 1, 1000)
			v.h, v.ok = unit.Health{Check: check.check, Every: every.d, Failures: failures}, check.ok
			if err := healthKind(check.check); err != nil {
				c.errorf("%v", err)
				v.ok = false
			}
		}
		return v, nil
	})
}

func healthKind(c unit.Check) error {
	switch c.Kind {
	case unit.CheckTCP, unit.CheckHTTP, unit.CheckExec:
		return nil
	}
	return fmt.Errorf("%s cannot be a health check (ready.tcp, ready.http or ready.exec)", c)
}

// healthArg is the health option: a check (every 10s, 3 failures) or
// health(...).
type healthArg struct{ h *unit.Health }

func (a *healthArg) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case *checkValue:
		if err := healthKind(x.check); err != nil {
			return err
		}
		if x.ok {
			a.h = &unit.Health{Check: x.check, Every: unit.DefaultHealthEvery, Failures: unit.DefaultHealthFailures}
		}
	case *healthValue:
		if x.ok {
			h := x.h
			a.h = &h
		}
	default:
		return fmt.Errorf("got %s, want ready.tcp/http/exec(...) or health(...)", v.Type())
	}
	return nil
}

// jsonHealth is the health option in check --json.
type jsonHealth struct {
	Check    string `json:"check"`
	Every    string `json:"every"`
	Timeout  string `json:"timeout"`
	Failures int    `json:"failures"`
}

func healthJSON(h *unit.Health) *jsonHealth {
	if h == nil {
		return nil
	}
	return &jsonHealth{Check: checkText(h.Check), Every: fmtDuration(h.Every), Timeout: fmtDuration(h.Check.Timeout), Failures: h.Failures}
}
