package starlib

import (
	"path/filepath"
	"strings"
	"syscall"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/unit"
)

// procDecl is one recorded dependency/process/cleanup call.
type procDecl struct {
	pos         syntax.Position
	proc        engine.Process
	logLinesSet bool     // log_lines given; else settings(log_lines) applies
	logFile     string   // log_file as written; resolved with the settings (logfiles.go)
	envFile     pathsArg // env_file as written; else settings(env_file) (envfile.go)
	replicas    int      // copies NAME-1 … NAME-N (replicas.go)
}

// declareBuiltin returns dependency(), process() or cleanup().
func declareBuiltin(name string, group engine.Group) *starlark.Builtin {
	return builtin(name, func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		c.declare(group, args, kwargs)
		return starlark.None, nil
	})
}

func (c *call) declare(group engine.Group, args starlark.Tuple, kwargs []starlark.Tuple) {
	if !c.atDeclarationSite() {
		return
	}
	var (
		name        string
		cmd         cmdArg
		dir         string
		env         envArg
		ready       readyArg
		flags       flagsArg
		deps        depsArg
		restart     = restartArg{p: unit.RestartNever}
		maxRestarts = unit.DefaultMaxRestarts
		backoff     = delayArg{unit.DefaultBackoff, unit.BackoffRange}
		maxBackoff  = delayArg{unit.DefaultMaxBackoff, unit.BackoffRange}
		stopSignal  = signalArg{syscall.SIGTERM}
		stopTimeout = delayArg{unit.DefaultStopTimeout, unit.StopRange}
		autostart   = true
		stdin       bool
		logLines    = -1
		logFile     string
		user        userArg
		onDeps      bool
		watch       strList
		envFile     pathsArg
		okCodes     intList
		health      healthArg
		stopCmd     cmdArg
		replicas    = 1
	)
	if group == engine.Main {
		restart.p = unit.RestartOnFailure
	}
	if !c.unpack(args, kwargs, 2,
		"name", &name, "cmd", &cmd, "dir?", &dir, "env?", &env, "ready?", &ready,
		"flags?", &flags, "deps?", &deps, "restart?", &restart, "max_restarts?", &maxRestarts,
		"backoff?", &backoff, "max_backoff?", &maxBackoff, "stop_signal?", &stopSignal,
		"stop_timeout?", &stopTimeout, "autostart?", &autostart, "stdin?", &stdin,
		"log_lines?", &logLines, "log_file?", &logFile, "user?", &user,
		"restart_on_deps?", &onDeps, "watch?", &watch, "env_file?", &envFile, "ok_codes?", &okCodes, "health?", &health, "stop_cmd?", &stopCmd, "replicas?", &replicas) {
		return
	}
	if err := checkName(name); err != nil {
		c.errorf("%v", err)
	}
	for _, g := range watch.list {
		if g == "" || filepath.IsAbs(g) || g == ".." || strings.HasPrefix(g, "../") {
			c.errorf("watch: %q: want a glob relative to dir, inside it", g)
		}
	}
	c.intIn("max_restarts", maxRestarts, 0, unit.MaxMaxRestarts)
	c.intIn("replicas", replicas, 1, maxReplicas)
	if replicas > 1 && logFile != "" {
		c.errorf("log_file: a process with replicas cannot share one file (leave it out: {log_dir}/NAME-i.log)")
	}
	if logLines != -1 {
		c.intIn("log_lines", logLines, 1, unit.MaxLogLines)
	}
	spec := unit.Spec{
		Name: name, Group: string(group), Argv: cmd.argv, Dir: c.ld.resolveDir(dir), Env: env.env, User: user.cred,
		Ready: c.checks(ready.checks, okCodes.list), Flags: c.flags(flags.flags),
		Restart: restart.p, MaxRestarts: maxRestarts, Backoff: backoff.d, MaxBackoff: maxBackoff.d,
		StopSignal: stopSignal.sig, StopTimeout: stopTimeout.d, Stdin: stdin, LogLines: logLines,
		OkCodes: c.okCodes(okCodes), Health: health.h, StopCmd: stopCmd.argv,
	}
	c.ld.decl.procs = append(c.ld.decl.procs, &procDecl{
		pos: c.pos,
		proc: engine.Process{Name: name, Group: group, Spec: spec, Deps: deps.list, After: deps.after, Autostart: autostart,
			RestartOnDeps: onDeps, Watch: watch.list},
		logLinesSet: logLines > 0,
		logFile:     logFile,
		envFile:     envFile,
		replicas:    replicas,
	})
}

// resolveDir makes dir absolute against ovr.root.
func (ld *loader) resolveDir(dir string) string {
	if dir == "" {
		return ld.root
	}
	if filepath.IsAbs(dir) {
		return filepath.Clean(dir)
	}
	return filepath.Join(ld.root, dir)
}

func (c *call) checks(vals []*checkValue, okCodes []int) []unit.Check {
	var out []unit.Check
	var exit *unit.Check
	for _, v := range vals {
		if !v.ok {
			continue
		}
		if v.check.Kind == unit.CheckExit && v.check.Code == unit.OkCode && len(okCodes) == 0 {
			v.check.Code = 0 // ready.exit(): exit 0 unless ok_codes says more
		}
		if v.check.Kind == unit.CheckExit {
			if exit != nil && exit.Code != v.check.Code {
				// A process exits once: both can never pass, and its
				// dependents would wait for ever.
				c.errorf("ready: %s and %s contradict: a process exits once (one ready.exit)", exit, v.check)
			}
			exit = &v.check
		}
		out = append(out, v.check)
	}
	return out
}

func (c *call) flags(vals []*flagValue) []flagset.Flag {
	var out []flagset.Flag
	seen := map[string]bool{}
	for _, v := range vals {
		if !v.ok {
			continue
		}
		if seen[v.flag.Name] {
			c.errorf("flags: duplicate flag %q", v.flag.Name)
			continue
		}
		seen[v.flag.Name] = true
		out = append(out, v.flag)
	}
	return out
}

// atDeclarationSite refuses declarations at the top level of a loaded
// library: a library declares only from the functions it exports.
func (c *call) atDeclarationSite() bool {
	if lib := c.ld.libraryLoading; lib != "" {
		c.errorf("called while library %s loads; a library declares only from functions it exports", lib)
		return false
	}
	return true
}
