package starlib

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// WritePlan prints the plan for `ovrseer check`: processes per group with
// command, readiness, flags and deps; settings; hooks; files loaded. Paths
// are relative to Root where possible.
func (o *Ovrfile) WritePlan(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, g := range []engine.Group{engine.Dependencies, engine.Main, engine.Cleanup} {
		fmt.Fprintf(bw, "%s:\n", g)
		n := 0
		for _, p := range o.Plan.Processes {
			if p.Group == g {
				o.writeProcess(bw, p)
				n++
			}
		}
		if n == 0 {
			fmt.Fprintf(bw, "  (none)\n")
		}
	}
	o.writeRest(bw)
	return bw.Flush()
}

// writeRest prints the settings, hooks and files.
func (o *Ovrfile) writeRest(bw io.Writer) {
	s := o.Plan.Settings
	fmt.Fprintf(bw, "settings:\n  crash_dir %s, cleanup_timeout %s", orDash(o.rel(s.CrashDir)), fmtDuration(s.CleanupTimeout))
	if s.Timeout > 0 {
		fmt.Fprintf(bw, ", timeout %s", fmtDuration(s.Timeout))
	}
	if s.ExitWith != "" {
		fmt.Fprintf(bw, ", exit_with %s", s.ExitWith)
	}
	if s.Reload {
		fmt.Fprintf(bw, ", reload")
	}
	if s.LogDir != "" {
		fmt.Fprintf(bw, ", log_dir %s", o.rel(s.LogDir))
	}
	if s.LogDir != "" || o.hasLogFiles() {
		fmt.Fprintf(bw, ", log files %s rotated at %d MiB keeping %d", s.LogFormat, s.LogMaxSize, s.LogMaxFiles)
	}
	fmt.Fprintf(bw, "\nhooks:\n")
	for _, h := range o.Hooks {
		fmt.Fprintf(bw, "  %s -> %s", h.Event, h.Name)
		if h.Process != "" {
			fmt.Fprintf(bw, " (process %s)", h.Process)
		}
		if h.Flag != "" {
			fmt.Fprintf(bw, " (flag %s)", h.Flag)
		}
		fmt.Fprintln(bw)
	}
	if len(o.Hooks) == 0 {
		fmt.Fprintf(bw, "  (none)\n")
	}
	fmt.Fprintf(bw, "files:\n")
	for _, f := range o.relFiles() {
		fmt.Fprintf(bw, "  %s\n", f)
	}
}

func (o *Ovrfile) writeProcess(w io.Writer, p engine.Process) {
	s := o.maskSpec(p.Spec)
	writeCommand(w, p.Name, s.Argv)
	if dir := o.rel(s.Dir); dir != "." {
		fmt.Fprintf(w, "    dir: %s\n", dir)
	}
	if len(s.Env) > 0 {
		fmt.Fprintf(w, "    env: %s\n", strings.Join(s.Env, " "))
	}
	if len(s.EnvFiles) > 0 {
		fmt.Fprintf(w, "    env_file: %s\n", strings.Join(o.rels(s.EnvFiles), " "))
	}
	if s.User != nil {
		fmt.Fprintf(w, "    user: %s (uid %d)\n", s.User.Name, s.User.Uid)
	}
	if len(p.Deps) > 0 {
		fmt.Fprintf(w, "    deps: %s", strings.Join(depsText(p), ", "))
		if p.RestartOnDeps {
			fmt.Fprintf(w, " (restart_on_deps)")
		}
		fmt.Fprintln(w)
	}
	if len(p.Watch) > 0 {
		fmt.Fprintf(w, "    watch: %s\n", strings.Join(p.Watch, " "))
	}
	if p.LogFile != "" {
		fmt.Fprintf(w, "    log_file: %s\n", o.rel(p.LogFile))
	}
	for _, c := range s.Ready {
		fmt.Fprintf(w, "    ready: %s within %s\n", checkText(c), fmtDuration(c.Timeout))
	}
	if h := s.Health; h != nil {
		fmt.Fprintf(w, "    health: %s every %s, each within %s; restarted after %d failures in a row\n",
			checkText(h.Check), fmtDuration(h.Every), fmtDuration(h.Check.Timeout), h.Failures)
	}
	for _, f := range s.Flags {
		target := "no target"
		if f.Target >= 0 {
			target = "target " + strconv.Itoa(f.Target)
		}
		fmt.Fprintf(w, "    flag: %s %q %s, context %d, %s\n", f.Name, f.Pattern, colorNames[f.Color], f.Context, target)
	}
	stop := unit.SignalName(s.StopSignal)
	if len(s.StopCmd) > 0 {
		stop = "stop_cmd " + cmdLine(s.StopCmd)
	}
	fmt.Fprintf(w, "    restart: %s (max %d, backoff %s..%s); stop: %s, then SIGKILL after %s",
		s.Restart, s.MaxRestarts, fmtDuration(s.Backoff), fmtDuration(s.MaxBackoff), stop, fmtDuration(s.StopTimeout))
	if !p.Autostart {
		fmt.Fprintf(w, "; autostart off")
	}
	if s.Stdin {
		fmt.Fprintf(w, "; stdin")
	}
	if len(s.OkCodes) > 0 {
		fmt.Fprintf(w, "; ok_codes %s", strings.Trim(strings.Join(strings.Fields(fmt.Sprint(s.OkCodes)), ", "), "[]"))
	}
	fmt.Fprintf(w, "; log_lines %d\n", s.LogLines)
}

// checkText renders a check as written in an Ovrfile.
func checkText(c unit.Check) string {
	switch c.Kind {
	case unit.CheckLog:
		if c.Count > 1 {
			return fmt.Sprintf("ready.log(%q, count = %d)", c.Pattern, c.Count)
		}
	case unit.CheckHTTP:
		if c.Status != 200 {
			ext := ""
			if c.External {
				ext = ", external = True"
			}
			return fmt.Sprintf("ready.http(%q, status = %d%s)", c.URL, c.Status, ext)
		}
	case unit.CheckExec:
		return fmt.Sprintf("ready.exec(%s)", cmdLine(c.Argv))
	}
	return c.String()
}

// writeCommand prints "  name: command"; a multi-line shell script follows
// on lines of its own, dedented, each marked with "|".
func writeCommand(w io.Writer, name string, argv []string) {
	if len(argv) != 3 || argv[0] != "sh" || argv[1] != "-c" || !strings.Contains(argv[2], "\n") {
		fmt.Fprintf(w, "  %s: %s\n", name, cmdLine(argv))
		return
	}
	fmt.Fprintf(w, "  %s: sh -c\n", name)
	for _, l := range dedent(argv[2]) {
		fmt.Fprintf(w, "      | %s\n", l)
	}
}

// dedent drops leading and trailing blank lines and the indentation common
// to the other lines.
func dedent(script string) []string {
	lines := strings.Split(strings.TrimRight(script, " \t\n"), "\n")
	for len(lines) > 1 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	var prefix *string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if prefix == nil {
			prefix = &indent
		}
		for !strings.HasPrefix(indent, *prefix) {
			*prefix = (*prefix)[:len(*prefix)-1]
		}
	}
	for i, l := range lines {
		if prefix != nil {
			l = strings.TrimPrefix(l, *prefix)
		}
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines
}

// cmdLine renders a command: the shell text for sh -c, else the argv with
// arguments quoted where needed.
func cmdLine(argv []string) string {
	if len(argv) == 3 && argv[0] == "sh" && argv[1] == "-c" {
		return strconv.Quote(argv[2])
	}
	parts := make([]string, len(argv))
	for i, a := range argv {
		parts[i] = strconv.Quote(a)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
