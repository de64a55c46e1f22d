package starlib

import (
	"net"
	"net/url"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/unit"
)

// readyModule is ready.log/exit/tcp/http/exec (docs/ovrfile.md). Each returns a
// ready_check value; nothing is checked at load time beyond the arguments.
func readyModule() *starlarkstruct.Module {
	return &starlarkstruct.Module{Name: "ready", Members: starlark.StringDict{
		"log":  readyBuiltin("ready.log", readyLog),
		"exit": readyBuiltin("ready.exit", readyExit),
		"tcp":  readyBuiltin("ready.tcp", readyTCP),
		"http": readyBuiltin("ready.http", readyHTTP),
		"exec": readyBuiltin("ready.exec", readyExec),
	}}
}

func readyBuiltin(name string, fn func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) unit.Check) *starlark.Builtin {
	return builtin(name, func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		check := fn(c, args, kwargs)
		return &checkValue{check: check, ok: !c.failed}, nil
	})
}

func readyLog(c *call, args starlark.Tuple, kwargs []starlark.Tuple) unit.Check {
	var (
		pattern regexArg
		timeout = duration{unit.DefaultCheckTimeout}
		count   = 1
	)
	if c.unpack(args, kwargs, 3, "pattern", &pattern, "timeout?", &timeout, "count?", &count) {
		c.intIn("count", count, 1, maxCount)
	}
	return unit.Check{Kind: unit.CheckLog, Pattern: pattern.pattern, Timeout: timeout.d, Count: count}
}

func readyExit(c *call, args starlark.Tuple, kwargs []starlark.Tuple) unit.Check {
	var (
		timeout = duration{unit.DefaultExitTimeout}
		code    = unit.OkCode // none given: an ok code (process.go's checks)
	)
	if c.unpack(args, kwargs, 2, "timeout?", &timeout, "code?", &code) && code != unit.OkCode && (code < 0 || code > 255) {
		c.errorf("code: want 0..255, got %d", code)
	}
	return unit.Check{Kind: unit.CheckExit, Timeout: timeout.d, Code: code}
}

func readyTCP(c *call, args starlark.Tuple, kwargs []starlark.Tuple) unit.Check {
	var (
		address  string
		timeout  = duration{unit.DefaultCheckTimeout}
		external bool
	)
	if c.unpack(args, kwargs, 2, "address", &address, "timeout?", &timeout, "external?", &external) {
		if _, _, err := net.SplitHostPort(address); err != nil {
			c.errorf("bad address %q: want host:port", address)
		}
	}
	return unit.Check{Kind: unit.CheckTCP, Address: address, Timeout: timeout.d, External: external}
}

func readyHTTP(c *call, args starlark.Tuple, kwargs []starlark.Tuple) unit.Check {
	var (
		rawURL   string
		timeout  = duration{unit.DefaultCheckTimeout}
		status   = 200
		external bool
	)
	if c.unpack(args, kwargs, 3, "url", &rawURL, "timeout?", &timeout, "status?", &status, "external?", &external) {
		if u, err := url.Parse(rawURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			c.errorf("bad url %q: want http://host:port/path", rawURL)
		}
		if status < 100 || status > 599 {
			c.errorf("status: want an HTTP status, got %d", status)
		}
	}
	return unit.Check{Kind: unit.CheckHTTP, URL: rawURL, Timeout: timeout.d, Status: status, External: external}
}

func readyExec(c *call, args starlark.Tuple, kwargs []starlark.Tuple) unit.Check {
	var (
		cmd     cmdArg
		timeout = duration{unit.DefaultCheckTimeout}
	)
	c.unpack(args, kwargs, 2, "cmd", &cmd, "timeout?", &timeout)
	return unit.Check{Kind: unit.CheckExec, Argv: cmd.argv, Timeout: timeout.d}
}

// flagBuiltin is flag(name, pattern, color, context, target).
func flagBuiltin() *starlark.Builtin {
	return builtin("flag", func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var (
			name    string
			pattern regexArg
			color   colorArg
			context int
			target  starlark.Value = starlark.None
		)
		f := flagset.Flag{Target: flagset.NoTarget}
		if c.unpack(args, kwargs, 5, "name", &name, "pattern", &pattern, "color?", &color, "context?", &context, "target?", &target) {
			if err := checkName(name); err != nil {
				c.errorf("%v", err)
			}
			if context < 0 || context > 1000 {
				c.errorf("context: want 0..1000, got %d", context)
			}
			if target != starlark.None {
				n, err := starlark.AsInt32(target)
				if err != nil || n < 0 {
					c.errorf("target: want None or a count >= 0, got %s", target)
				}
				f.Target = n
			}
		}
		f.Name, f.Pattern, f.Color, f.Context = name, pattern.pattern, color.c, context
		return &flagValue{flag: f, ok: !c.failed}, nil
	})
}
