package starlib

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/engine"
)

// Defaults and ranges of the log file settings (docs/ovrfile.md).
const (
	defaultLogMaxSize  = 50 // MiB
	defaultLogMaxFiles = 3
	maxLogMaxFiles     = 100
	systemLogName      = "ovrseer.log" // ovrseer's own lines, in log_dir
)

// logSettings are settings(log_dir, log_format, log_max_size,
// log_max_files) as given.
type logSettings struct {
	dir      string
	format   string
	maxSize  mebibytes
	maxFiles int
}

func defaultLogSettings() logSettings {
	return logSettings{format: "text", maxSize: mebibytes{defaultLogMaxSize}, maxFiles: defaultLogMaxFiles}
}

// check reports values out of range.
func (l logSettings) check(c *call) {
	if l.format != "text" && l.format != "json" {
		c.errorf("log_format: got %q, want \"text\" or \"json\"", l.format)
	}
	c.intIn("log_max_files", l.maxFiles, 1, maxLogMaxFiles)
}

func (l logSettings) apply(root string, s *engine.Settings) {
	s.LogDir = joinRoot(root, l.dir)
	s.LogFormat, s.LogMaxSize, s.LogMaxFiles = l.format, l.maxSize.n, l.maxFiles
}

// mebibytes is a size of at least 1 MiB: an int (MiB) or a string such as
// "50MB", "50MiB" or "1GB" (MB means MiB, as the rotation library counts).
type mebibytes struct{ n int }

func (m *mebibytes) Unpack(v starlark.Value) error {
	var n int
	if i, ok := v.(starlark.Int); ok {
		i64, ok := i.Int64()
		if !ok || i64 > 1<<20 {
			return fmt.Errorf("%s MiB is too large", i)
		}
		n = int(i64)
	} else if s, ok := starlark.AsString(v); ok {
		var err error
		if n, err = parseMiB(s); err != nil {
			return err
		}
	} else {
		return fmt.Errorf("got %s, want a size like \"50MB\" or a number of MiB", v.Type())
	}
	if n < 1 {
		return fmt.Errorf("%d MiB: want at least 1 MiB", n)
	}
	m.n = n
	return nil
}

func parseMiB(s string) (int, error) {
	units := []struct {
		suffix string
		mul    int
	}{{"GiB", 1024}, {"GB", 1024}, {"MiB", 1}, {"MB", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(strings.TrimSpace(s), u.suffix); ok {
			n, err := strconv.Atoi(strings.TrimSpace(num))
			if err == nil && n >= 0 && n <= 1<<20/u.mul {
				return n * u.mul, nil
			}
		}
	}
	return 0, fmt.Errorf("bad size %q (want a form like \"50MB\", \"1GB\", or a number of MiB)", s)
}

// logFile resolves a process's log file: its log_file against ovr.root,
// else {log_dir}/{name}.log when log_dir is set, else none.
func (ld *loader) logFile(d *procDecl) string {
	if d.logFile != "" {
		return joinRoot(ld.root, d.logFile)
	}
	if dir := ld.decl.settings.settings.LogDir; dir != "" {
		return filepath.Join(dir, d.proc.Name+".log")
	}
	return ""
}

// checkLogFiles reports a log file written by two processes, or by a
// process and ovrseer itself (log_dir's ovrseer.log).
func (ld *loader) checkLogFiles(plan engine.Plan) {
	owner := map[string]string{}
	if dir := plan.Settings.LogDir; dir != "" {
		owner[filepath.Join(dir, systemLogName)] = "ovrseer itself"
	}
	for i, p := range plan.Processes {
		if p.LogFile == "" {
			continue
		}
		if first, dup := owner[p.LogFile]; dup {
			d := ld.decl.procs[i]
			ld.errs.addf(d.pos, string(groupBuiltin(p.Group)), "log_file: %s is also the log file of %s",
				ld.relPath(p.LogFile), first)
			continue
		}
		owner[p.LogFile] = p.Name
	}
}

// relPath shows p relative to ovr.root when it is below it.
func (ld *loader) relPath(p string) string { return relTo(ld.root, p) }
