package starlib

import (
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// settingsDecl is the recorded settings() call.
type settingsDecl struct {
	pos      syntax.Position
	called   bool
	logLines int
	settings engine.Settings
	logDir   string   // log_dir as written, for messages
	envFiles []string // env_file as written (envfile.go)
}

const defaultCleanupTimeout = 60 * time.Second

// settingsTimeoutRange bounds settings(timeout): positive (None means no
// limit), at most a year.
var settingsTimeoutRange = unit.Range{Min: time.Millisecond, Max: maxSettings}

func defaultSettings(root string) settingsDecl {
	return settingsDecl{
		logLines: unit.DefaultLogLines,
		settings: engine.Settings{CrashDir: joinRoot(root, "crash-reports"), CleanupTimeout: defaultCleanupTimeout,
			LogFormat: "text", LogMaxSize: defaultLogMaxSize, LogMaxFiles: defaultLogMaxFiles},
	}
}

// settingsBuiltin is settings() of docs/ovrfile.md (crash_dir, log_lines,
// timeout, exit_with, cleanup_timeout, reload, env_file, log_*); it may be
// called once.
func settingsBuiltin() *starlark.Builtin {
	return builtin("settings", func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		c.settings(args, kwargs)
		return starlark.None, nil
	})
}

func (c *call) settings(args starlark.Tuple, kwargs []starlark.Tuple) {
	if !c.atDeclarationSite() {
		return
	}
	d := &c.ld.decl.settings
	if d.called {
		first := d.pos
		c.errorf("called twice (first at %s)", c.ld.posString(first))
		return
	}
	var (
		crashDir       = "crash-reports"
		logLines       = unit.DefaultLogLines
		timeout        = delayArg{within: settingsTimeoutRange}
		exitWith       string
		cleanupTimeout = duration{defaultCleanupTimeout}
		logs           = defaultLogSettings()
		envFile        pathsArg
		reload         bool
	)
	if !c.unpack(args, kwargs, 0, "crash_dir?", &crashDir, "log_lines?", &logLines,
		"timeout??", &timeout, "exit_with??", &exitWith, "cleanup_timeout?", &cleanupTimeout,
		"log_dir??", &logs.dir, "log_format?", &logs.format, "log_max_size?", &logs.maxSize,
		"log_max_files?", &logs.maxFiles, "env_file?", &envFile, "reload?", &reload) {
		return
	}
	c.intIn("log_lines", logLines, 1, unit.MaxLogLines)
	logs.check(c)
	d.pos, d.called, d.logLines = c.pos, true, logLines
	d.settings = engine.Settings{
		CrashDir: joinRoot(c.ld.root, crashDir), Timeout: timeout.d, ExitWith: exitWith, CleanupTimeout: cleanupTimeout.d,
		Reload: reload,
	}
	d.logDir, d.envFiles = logs.dir, envFile.list
	logs.apply(c.ld.root, &d.settings)
}
