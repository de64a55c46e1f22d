package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ovrseer/ovrseer/unit"
)

// command is what ovrseer was asked to do.
type command uint8

const (
	cmdRun command = iota
	cmdCheck
	cmdVersion
	cmdExport
)

func (c command) String() string {
	switch c {
	case cmdRun:
		return "run"
	case cmdCheck:
		return "check"
	case cmdVersion:
		return "version"
	case cmdExport:
		return "export"
	}
	return fmt.Sprintf("command(%d)", c)
}

// colorMode is the --color setting.
type colorMode uint8

const (
	colorAuto colorMode = iota
	colorAlways
	colorNever
)

func (c colorMode) String() string {
	switch c {
	case colorAuto:
		return "auto"
	case colorAlways:
		return "always"
	case colorNever:
		return "never"
	}
	return fmt.Sprintf("colorMode(%d)", c)
}

// uiMode is the --tui/--no-tui setting.
type uiMode uint8

const (
	uiAuto     uiMode = iota // the TUI when stdin and stdout are terminals and mode is not ci
	uiTUI                    // --tui
	uiHeadless               // --no-tui
)

func (u uiMode) String() string {
	switch u {
	case uiAuto:
		return "auto"
	case uiTUI:
		return "tui"
	case uiHeadless:
		return "headless"
	}
	return fmt.Sprintf("uiMode(%d)", u)
}

// config is the parsed command line.
type config struct {
	cmd      command
	file     string // -f; "" means Ovrfile.star in the current directory
	ci       bool   // --ci or a truthy CI variable
	ui       uiMode
	color    colorMode
	events   string        // --events PATH
	crashDir string        // --crash-dir DIR; "" means the Ovrfile's setting
	timeout  time.Duration // --timeout; 0 means the Ovrfile's setting
	json     bool          // check --json
	export   exportConfig  // export FORMAT [-o DIR] [--name STACK] [--root DIR]
	secrets  bool          // check --show-secrets
	raw      bool          // --raw: child bytes untouched in the headless output

	noControl bool // --no-control: no control socket (the run is still locked)

	names  []string // run NAME...: only those main processes and what they need (selectnames.go)
	noDeps bool     // --no-deps: ... without their main deps
}

// mode is ovr.mode: "ci" or "dev".
func (c config) mode() string {
	if c.ci {
		return "ci"
	}
	return "dev"
}

// errHelp is returned by parseArgs for -h/--help.
var errHelp = errors.New("help requested")

// parseArgs parses the command line; getenv reads CI.
func parseArgs(args []string, getenv func(string) string) (config, error) {
	var cfg config
	fs := newFlagSet()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return cfg, errHelp
		}
		return cfg, err
	}
	var err error
	if cfg.cmd, cfg.export, err = parseExport(fs); err != nil {
		return cfg, err
	}
	cfg.file, _ = fs.GetString("file")
	cfg.events, _ = fs.GetString("events")
	cfg.crashDir, _ = fs.GetString("crash-dir")
	cfg.timeout, _ = fs.GetDuration("timeout")
	cfg.json, _ = fs.GetBool("json")
	cfg.secrets, _ = fs.GetBool("show-secrets")
	cfg.raw, _ = fs.GetBool("raw")
	cfg.noControl, _ = fs.GetBool("no-control")
	cfg.noDeps, _ = fs.GetBool("no-deps")
	if cfg.cmd == cmdRun {
		cfg.names = runNames(fs.Args())
	}
	cfg.ci = truthy(getenv("CI"))
	if fs.Changed("ci") {
		cfg.ci, _ = fs.GetBool("ci")
	}
	if cfg.ui, err = parseUI(fs); err != nil {
		return cfg, err
	}
	color, _ := fs.GetString("color")
	if cfg.color, err = parseColor(color); err != nil {
		return cfg, err
	}
	switch {
	case fs.Changed("timeout") && cfg.timeout <= 0:
		return cfg, fmt.Errorf("--timeout %s: must be positive", unit.FormatDuration(cfg.timeout))
	case cfg.json && cfg.cmd != cmdCheck:
		return cfg, errors.New("--json is a flag of 'ovrseer check'")
	case cfg.cmd != cmdExport && cfg.export.flagsSet(fs):
		return cfg, errors.New("-o, --name and --root are flags of 'ovrseer export'")
	case cfg.noDeps && len(cfg.names) == 0:
		return cfg, errors.New("--no-deps goes with process names: ovrseer --no-deps NAME...")
	case cfg.secrets && cfg.cmd != cmdCheck:
		return cfg, errors.New("--show-secrets is a flag of 'ovrseer check'")
	}
	return cfg, nil
}

func newFlagSet() *pflag.FlagSet {
	fs := pflag.NewFlagSet("ovrseer", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.Usage = func() {}
	fs.SetOutput(discard{})
	fs.StringP("file", "f", "", "the Ovrfile to run (default: Ovrfile.star in the current directory)")
	fs.Bool("ci", false, `CI mode: ovr.mode is "ci", plain output (also on when $CI is 1, true or yes)`)
	fs.Bool("tui", false, "use the terminal UI (default when stdin and stdout are terminals and the mode is not ci)")
	fs.Bool("no-tui", false, "plain prefixed output even on a terminal")
	fs.Bool("raw", false, "headless: write child output as it came, escape sequences included (default: only colours kept, the rest made visible)")
	fs.String("color", "auto", "colour the output: auto, always or never (auto honours NO_COLOR)")
	fs.String("events", "", "append every event to `PATH` as one JSON object per line")
	fs.String("crash-dir", "", "write crash reports to `DIR` (overrides settings(crash_dir))")
	fs.Duration("timeout", 0, "end the whole run after `DURATION` (exit 124; overrides settings(timeout))")
	fs.Bool("json", false, "check: print the plan as JSON")
	addExportFlags(fs)
	fs.Bool("show-secrets", false, "check: show secret-looking env values and URL passwords (masked as *** by default)")
	fs.Bool("no-deps", false, "with NAME...: start only those main processes, not the main processes they depend on")
	fs.Bool("no-control", false, "no control socket: ovrseer ps, logs, attach ... cannot reach this run")
	return fs
}

func parseCommand(args []string) (command, error) {
	if len(args) == 0 {
		return cmdRun, nil
	}
	if args[0] == "run" || !isCommand(args[0]) {
		return cmdRun, nil // run [NAME...] or NAME...: runNames
	}
	if len(args) > 1 {
		return cmdRun, fmt.Errorf("unexpected arguments after %q: %s", args[0], strings.Join(args[1:], " "))
	}
	switch args[0] {
	case "check":
		return cmdCheck, nil
	case "version":
		return cmdVersion, nil
	case "export":
		return cmdExport, nil
	}
	return cmdRun, fmt.Errorf("unknown command %q (commands: run, check, version, export)", args[0])
}

func parseUI(fs *pflag.FlagSet) (uiMode, error) {
	tui, _ := fs.GetBool("tui")
	noTUI, _ := fs.GetBool("no-tui")
	switch {
	case tui && noTUI:
		return uiAuto, errors.New("--tui and --no-tui exclude each other")
	case tui:
		return uiTUI, nil
	case noTUI:
		return uiHeadless, nil
	}
	return uiAuto, nil
}

func parseColor(s string) (colorMode, error) {
	for _, m := range []colorMode{colorAuto, colorAlways, colorNever} {
		if s == m.String() {
			return m, nil
		}
	}
	return colorAuto, fmt.Errorf("--color %q: want auto, always or never", s)
}

// truthy reports whether an environment value such as CI means "on".
func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes":
		return true
	}
	return false
}

// usage is the text of -h.
func usage() string {
	return `ovrseer runs a multi-process stack described by an Ovrfile.star: dependencies
first, then the main processes, then clean-up, with prefixed logs, flags, hooks
and crash reports.

Usage:
  ovrseer [flags]           run ./Ovrfile.star
  ovrseer [flags] NAME...   only those main processes and the ones they need
  ovrseer check [flags]     load and validate the Ovrfile, print the plan, start nothing
  ovrseer version           print the version
  ovrseer ps|logs|restart|stop|start|send|events|reload|down|attach|ls
                            the running stack from another terminal (docs/cli.md)
  ovrseer export FORMAT     write the plan as systemd units or a Nomad job
                            (systemd -o DIR, or nomad [-o DIR]; docs/export.md)

Flags (run and check):
  -f, --file PATH          the Ovrfile (default: Ovrfile.star in the current directory)
      --ci                 CI mode: ovr.mode is "ci", plain output (also on when $CI
                           is 1, true or yes; --ci=false turns it off)
      --tui, --no-tui      the terminal UI, or plain prefixed output; default: the UI
                           when stdin and stdout are terminals and mode is not ci
      --color WHEN         auto, always or never (default auto: only on a terminal,
                           and not when NO_COLOR is set; always wins over NO_COLOR)
      --raw                plain output: the children's bytes as they came (default:
                           colours kept, other escape sequences shown as \x1b...)
      --events PATH        append every event to PATH as one JSON object per line
      --crash-dir DIR      write crash reports to DIR (overrides settings(crash_dir))
      --timeout DURATION   end the whole run after DURATION, e.g. 90s or 10m
                           (exit 124; overrides settings(timeout))
      --no-deps            with NAME...: not the main processes they depend on
      --json               check: print the plan as JSON
  -o, --output DIR         export: the directory to write to
      --name STACK         export: the stack name (default: the Ovrfile's directory name)
      --root DIR           export: replaces the Ovrfile's directory in paths
      --show-secrets       check: show the values of secret-looking variables
                           (*_TOKEN, *_KEY, ...) and URL passwords, masked by default
      --no-control         no control socket (the client commands cannot reach the run)
  -h, --help               show this help

Examples:
  ovrseer                                   run ./Ovrfile.star
  ovrseer -f examples/Ovrfile.star          run the example stack (Ctrl-C stops it)
  ovrseer --ci --timeout 10m                in CI: plain output, the whole run bounded
  ovrseer --events events.jsonl             also record every event as JSON lines
  ovrseer | head -20                        plain output; a closed pipe ends the run cleanly
  ovrseer check --json                      print the plan as JSON, start nothing
  ovrseer api worker                        only api, worker and what they need
  ovrseer export systemd -o ~/.config/systemd/user   the stack as systemd user units

Signals: SIGINT, SIGTERM, SIGHUP or SIGQUIT start the orderly shutdown (cleanup
included); a second one forces it (the same signal again within 0.25 s counts
once). SIGUSR1 reloads the Ovrfile, like ovrseer reload.

Exit codes: the exit_with process's code or ctx.exit(code) if one was given;
128+n when ended by signal n (130 SIGINT, 143 SIGTERM, 141 closed stdout);
124 when --timeout expired; 1 when something failed; 2 for an Ovrfile or usage
error; otherwise 0.

Reference: docs/cli.md, docs/ovrfile.md, docs/events.md, docs/crash-reports.md
`
}

// discard swallows pflag's own messages: run prints errors itself.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
