package starlib

import (
	"encoding/json"
	"io"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// The JSON of `ovrseer check --json` (docs/cli.md). Paths are relative to Root
// where possible; durations are strings like "30s".
type (
	jsonPlan struct {
		Processes []jsonProcess `json:"processes"`
		Settings  jsonSettings  `json:"settings"`
		Hooks     []jsonHook    `json:"hooks"`
		Files     []string      `json:"files"`
		Warnings  []string      `json:"warnings,omitempty"` // commands that cannot start as declared
	}
	jsonProcess struct {
		Name          string            `json:"name"`
		Group         string            `json:"group"`
		Cmd           []string          `json:"cmd"`
		Dir           string            `json:"dir"`
		Env           []string          `json:"env"`
		EnvFile       []string          `json:"env_file"`
		OkCodes       []int             `json:"ok_codes"`
		After         map[string]string `json:"after"`
		Health        *jsonHealth       `json:"health"`
		StopCmd       []string          `json:"stop_cmd"`
		Deps          []string          `json:"deps"`
		Ready         []jsonCheck       `json:"ready"`
		Flags         []jsonFlag        `json:"flags"`
		Restart       string            `json:"restart"`
		MaxRestarts   int               `json:"max_restarts"`
		Backoff       string            `json:"backoff"`
		MaxBackoff    string            `json:"max_backoff"`
		StopSignal    string            `json:"stop_signal"`
		StopTimeout   string            `json:"stop_timeout"`
		Autostart     bool              `json:"autostart"`
		Stdin         bool              `json:"stdin"`
		LogLines      int               `json:"log_lines"`
		LogFile       *string           `json:"log_file"`
		RestartOnDeps bool              `json:"restart_on_deps"`
		Watch         []string          `json:"watch"`
		User          *string           `json:"user"`
	}
	jsonCheck struct {
		Kind    string   `json:"kind"`
		Timeout string   `json:"timeout"`
		Pattern string   `json:"pattern,omitempty"`
		Count   int      `json:"count,omitempty"`
		Code    *int     `json:"code,omitempty"`
		Address string   `json:"address,omitempty"`
		URL     string   `json:"url,omitempty"`
		Status  int      `json:"status,omitempty"`
		Cmd     []string `json:"cmd,omitempty"`
		// External: tcp and http checks only (false: the port must be free at the spawn).
		External *bool `json:"external,omitempty"`
	}
	jsonFlag struct {
		Name    string `json:"name"`
		Pattern string `json:"pattern"`
		Color   string `json:"color"`
		Context int    `json:"context"`
		Target  *int   `json:"target"`
	}
	jsonSettings struct {
		CrashDir       string  `json:"crash_dir"`
		Timeout        *string `json:"timeout"`
		ExitWith       *string `json:"exit_with"`
		CleanupTimeout string  `json:"cleanup_timeout"`
		LogDir         *string `json:"log_dir"`
		LogFormat      string  `json:"log_format"`
		LogMaxSize     int     `json:"log_max_size"`
		LogMaxFiles    int     `json:"log_max_files"`
		Reload         bool    `json:"reload"`
	}
	jsonHook struct {
		Event   string  `json:"event"`
		Name    string  `json:"name"`
		Process *string `json:"process"`
		Flag    *string `json:"flag"`
	}
)

var checkKinds = [...]string{unit.CheckLog: "log", unit.CheckExit: "exit", unit.CheckTCP: "tcp", unit.CheckHTTP: "http", unit.CheckExec: "exec"}

// WritePlanJSON prints the plan as the JSON of docs/cli.md (`check --json`),
// indented, with paths relative to Root where possible.
func (o *Ovrfile) WritePlanJSON(w io.Writer) error {
	p := jsonPlan{Processes: []jsonProcess{}, Hooks: []jsonHook{}, Files: o.relFiles(), Warnings: o.Warnings}
	for _, pr := range o.Plan.Processes {
		p.Processes = append(p.Processes, o.jsonProcess(pr))
	}
	s := o.Plan.Settings
	p.Settings = jsonSettings{CrashDir: o.rel(s.CrashDir), CleanupTimeout: fmtDuration(s.CleanupTimeout), Reload: s.Reload}
	if s.Timeout > 0 {
		t := fmtDuration(s.Timeout)
		p.Settings.Timeout = &t
	}
	p.Settings.ExitWith = optStr(s.ExitWith)
	p.Settings.LogDir = optStr(o.relOpt(s.LogDir))
	p.Settings.LogFormat, p.Settings.LogMaxSize, p.Settings.LogMaxFiles = s.LogFormat, s.LogMaxSize, s.LogMaxFiles
	for _, h := range o.Hooks {
		p.Hooks = append(p.Hooks, jsonHook{Event: string(h.Event), Name: h.Name, Process: optStr(h.Process), Flag: optStr(h.Flag)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

func (o *Ovrfile) jsonProcess(pr engine.Process) jsonProcess {
	s := o.maskSpec(pr.Spec)
	jp := jsonProcess{
		Name: pr.Name, Group: string(pr.Group), Cmd: s.Argv, Dir: o.rel(s.Dir), Env: nonNil(s.Env), EnvFile: o.rels(s.EnvFiles), OkCodes: okCodesOr0(s.OkCodes), After: afterJSON(pr), Health: healthJSON(s.Health), StopCmd: s.StopCmd, Deps: nonNil(pr.Deps),
		Ready: []jsonCheck{}, Flags: []jsonFlag{},
		Restart: s.Restart.String(), MaxRestarts: s.MaxRestarts, Backoff: fmtDuration(s.Backoff),
		MaxBackoff: fmtDuration(s.MaxBackoff), StopSignal: unit.SignalName(s.StopSignal), StopTimeout: fmtDuration(s.StopTimeout),
		Autostart: pr.Autostart, Stdin: s.Stdin, LogLines: s.LogLines, LogFile: optStr(o.relOpt(pr.LogFile)),
		RestartOnDeps: pr.RestartOnDeps, Watch: nonNil(pr.Watch),
	}
	if s.User != nil {
		jp.User = &s.User.Name
	}
	for _, c := range s.Ready {
		jc := jsonCheck{Kind: checkKinds[c.Kind], Timeout: fmtDuration(c.Timeout), Pattern: c.Pattern, Count: c.Count,
			Address: c.Address, URL: c.URL, Status: c.Status, Cmd: c.Argv}
		if c.Kind == unit.CheckExit && c.Code != unit.OkCode { // null: any of ok_codes
			jc.Code = &c.Code
		}
		if c.Kind == unit.CheckTCP || c.Kind == unit.CheckHTTP {
			jc.External = &c.External
		}
		jp.Ready = append(jp.Ready, jc)
	}
	for _, f := range s.Flags {
		jf := jsonFlag{Name: f.Name, Pattern: f.Pattern, Color: colorNames[f.Color], Context: f.Context}
		if f.Target >= 0 {
			jf.Target = &f.Target
		}
		jp.Flags = append(jp.Flags, jf)
	}
	return jp
}

// rel makes p relative to Root when it is below it ("." for Root itself).
func (o *Ovrfile) rel(p string) string { return relTo(o.Root, p) }

func (o *Ovrfile) relFiles() []string {
	out := make([]string, len(o.Files))
	for i, f := range o.Files {
		out[i] = o.rel(f)
	}
	return out
}

// relOpt is rel for a path that may be "" (none).
func (o *Ovrfile) relOpt(p string) string {
	if p == "" {
		return ""
	}
	return o.rel(p)
}

// hasLogFiles reports whether any process writes a log file.
func (o *Ovrfile) hasLogFiles() bool {
	for _, p := range o.Plan.Processes {
		if p.LogFile != "" {
			return true
		}
	}
	return false
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// fmtDuration renders d as an Ovrfile would write it: "1m" not "1m0s".
func fmtDuration(d time.Duration) string { return unit.FormatDuration(d) }
