package starlib

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShellProgram(t *testing.T) {
	for line, want := range map[string]string{
		"postgres -D data":          "postgres",
		"exec redis-server --x":     "redis-server",
		"PORT=1 A=b exec ./api":     "./api",
		"echo hi; missing":          "",
		"cd web && npm start":       "",
		"$HOME/bin/x":               "",
		"(cd x; y)":                 "",
		"while true; do :; done":    "",
		"trap 'exit 0' TERM; sleep": "",
		"  ":                        "",
	} {
		if got := shellProgram(line); got != want {
			t.Errorf("shellProgram(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestCannotStart(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "run.sh"), []byte("true\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		argv []string
		dir  string
		env  []string
		want string // substring; "" means it can start
	}{
		{[]string{"sh", "-c", "exec ./run.sh"}, dir, nil, ""},
		{[]string{"./run.sh"}, dir, nil, ""},
		{[]string{"sh"}, dir, nil, ""},
		{[]string{"./data.txt"}, dir, nil, "data.txt is not executable: chmod +x it"},
		{[]string{"./built-later"}, dir, nil, "no file " + filepath.Join(dir, "built-later") + ": build it first"},
		{[]string{"no-such-tool-x"}, dir, nil, `executable "no-such-tool-x" not found in $PATH`},
		{[]string{"run.sh"}, dir, []string{"PATH=" + dir}, ""}, // the process's own PATH
		{[]string{"sh", "-c", "run.sh --x"}, dir, []string{"PATH=" + dir}, ""},
		{[]string{"true"}, filepath.Join(dir, "nodir"), nil, "dir " + filepath.Join(dir, "nodir") + " does not exist"},
	} {
		got := cannotStart(c.argv, c.dir, c.env)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("cannotStart(%q, env %q) = %q, want %q", c.argv, c.env, got, c.want)
		}
	}
}
