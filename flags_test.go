package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestParseArgs(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want config
	}{
		{"defaults", nil, nil, config{cmd: cmdRun}},
		{"run explicitly", []string{"run"}, nil, config{cmd: cmdRun}},
		{"check json", []string{"check", "--json", "-f", "x.star"}, nil, config{cmd: cmdCheck, json: true, file: "x.star"}},
		{"flags before the command", []string{"-f", "x.star", "check"}, nil, config{cmd: cmdCheck, file: "x.star"}},
		{"version", []string{"version"}, nil, config{cmd: cmdVersion}},
		{"names", []string{"api", "web"}, nil, config{names: []string{"api", "web"}}},
		{"run names --no-deps", []string{"run", "--no-deps", "api"}, nil, config{names: []string{"api"}, noDeps: true}},
		{"ci flag", []string{"--ci"}, nil, config{ci: true}},
		{"CI env", nil, map[string]string{"CI": "true"}, config{ci: true}},
		{"CI env yes", nil, map[string]string{"CI": "YES"}, config{ci: true}},
		{"CI env falsy", nil, map[string]string{"CI": "0"}, config{}},
		{"--ci=false beats CI", []string{"--ci=false"}, map[string]string{"CI": "1"}, config{}},
		{"no-tui", []string{"--no-tui"}, nil, config{ui: uiHeadless}},
		{"tui", []string{"--tui"}, nil, config{ui: uiTUI}},
		{"color", []string{"--color", "always"}, nil, config{color: colorAlways}},
		{"color never", []string{"--color=never"}, nil, config{color: colorNever}},
		{"everything", []string{"--events", "ev.jsonl", "--crash-dir", "cr", "--timeout", "90s"}, nil,
			config{events: "ev.jsonl", crashDir: "cr", timeout: 90 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseArgs(tt.args, env(tt.env))
			if err != nil {
				t.Fatalf("parseArgs(%q): %v", tt.args, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseArgs(%q) = %+v, want %+v", tt.args, got, tt.want)
			}
		})
	}
}

func TestParseArgsErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"--color", "pink"}, `--color "pink"`},
		{[]string{"--tui", "--no-tui"}, "exclude each other"},
		{[]string{"--timeout", "-1s"}, "must be positive"},
		{[]string{"--timeout", "0s"}, "--timeout 0s: must be positive"},
		{[]string{"--show-secrets"}, "--show-secrets is a flag of"},
		{[]string{"--timeout", "soon"}, "invalid argument"},
		{[]string{"--json"}, "--json is a flag of 'ovrseer check'"},
		{[]string{"--no-deps"}, "--no-deps goes with process names"},
		{[]string{"check", "extra"}, "unexpected arguments"},
	} {
		_, err := parseArgs(tt.args, func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseArgs(%q) error = %v, want it to contain %q", tt.args, err, tt.want)
		}
	}
	if _, err := parseArgs([]string{"-h"}, func(string) string { return "" }); !errors.Is(err, errHelp) {
		t.Errorf("-h: error = %v, want errHelp", err)
	}
}

func TestUsageMentionsEveryFlag(t *testing.T) {
	text := usage()
	newFlagSet().VisitAll(func(f *pflag.Flag) {
		if !strings.Contains(text, "--"+f.Name) {
			t.Errorf("usage does not mention --%s", f.Name)
		}
	})
}

func TestChooseUI(t *testing.T) {
	for _, tt := range []struct {
		cfg                 config
		stdinTTY, stdoutTTY bool
		want                uiMode
	}{
		{config{}, true, true, uiTUI},
		{config{}, false, true, uiHeadless},
		{config{}, true, false, uiHeadless},
		{config{ci: true}, true, true, uiHeadless},
		{config{ui: uiHeadless}, true, true, uiHeadless},
		{config{ui: uiTUI}, false, false, uiTUI},
	} {
		if got := chooseUI(tt.cfg, tt.stdinTTY, tt.stdoutTTY); got != tt.want {
			t.Errorf("chooseUI(%+v, stdin tty %v, stdout tty %v) = %v, want %v", tt.cfg, tt.stdinTTY, tt.stdoutTTY, got, tt.want)
		}
	}
}
