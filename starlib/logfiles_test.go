package starlib

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadSource(t *testing.T, src string) (*Ovrfile, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Ovrfile.star")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return Load(path, testOpts())
}

func TestLogFilePaths(t *testing.T) {
	o, err := loadSource(t, `
settings(log_dir = "logs", log_max_size = 3)
process("api", "true")
process("web", "true", log_file = "web.txt")
`)
	if err != nil {
		t.Fatal(err)
	}
	s := o.Plan.Settings
	if s.LogDir != filepath.Join(o.Root, "logs") || s.LogFormat != "text" || s.LogMaxSize != 3 || s.LogMaxFiles != 3 {
		t.Errorf("settings: %+v", s)
	}
	want := map[string]string{"api": filepath.Join(o.Root, "logs", "api.log"), "web": filepath.Join(o.Root, "web.txt")}
	for _, p := range o.Plan.Processes {
		if p.LogFile != want[p.Name] {
			t.Errorf("%s: log file %q, want %q", p.Name, p.LogFile, want[p.Name])
		}
	}
	o, err = loadSource(t, `process("api", "true")`)
	if err != nil || o.Plan.Processes[0].LogFile != "" || o.Plan.Settings.LogDir != "" {
		t.Errorf("no log_dir: %v %+v", err, o.Plan)
	}
}

func TestLogFileProblems(t *testing.T) {
	cases := []struct{ src, want string }{
		{`settings(log_max_size = 0)`, "log_max_size: 0 MiB: want at least 1 MiB"},
		{`settings(log_max_size = "0.5MB")`, `bad size "0.5MB"`},
		{`settings(log_max_size = "10 kB")`, `bad size "10 kB"`},
		{`settings(log_max_files = 0)`, "log_max_files: 0 is out of range 1–100"},
		{`settings(log_max_files = 101)`, "log_max_files: 101 is out of range 1–100"},
		{`settings(log_format = "xml")`, `log_format: got "xml", want "text" or "json"`},
		{"process(\"a\", \"true\", log_file = \"x.log\")\nprocess(\"b\", \"true\", log_file = \"x.log\")",
			"Ovrfile.star:2:1: process: log_file: x.log is also the log file of a"},
		{"settings(log_dir = \"logs\")\nprocess(\"a\", \"true\")\nprocess(\"b\", \"true\", log_file = \"logs/a.log\")",
			"process: log_file: logs/a.log is also the log file of a"},
		{"settings(log_dir = \"logs\")\nprocess(\"b\", \"true\", log_file = \"logs/ovrseer.log\")",
			"process: log_file: logs/ovrseer.log is also the log file of ovrseer itself"},
	}
	for _, c := range cases {
		_, err := loadSource(t, c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant it to contain %q", c.src, err, c.want)
		}
	}
	for _, ok := range []string{`settings(log_max_size = "1GB", log_max_files = 100)`, `settings(log_max_size = "7MiB", log_max_files = 1)`} {
		if _, err := loadSource(t, ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
