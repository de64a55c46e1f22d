package starlib

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// missingExecutables returns a warning for an Ovrfile that declares no
// process, and one for each process whose command cannot start as the
// Ovrfile stands: an executable not in $PATH, a file
// that does not exist or is not executable, a dir that does not exist. They
// are warnings, not errors: a dependency may build the file, and the lookup
// is made again at every start.
func (ld *loader) missingExecutables() []string {
	var warns []string
	if len(ld.decl.procs) == 0 && len(ld.files) > 0 {
		warns = append(warns, fmt.Sprintf("%s: no processes declared: a run waits until quit; add process(...) (examples/Ovrfile.star shows how)", ld.display(ld.files[0])))
	}
	for _, d := range ld.decl.procs {
		if msg := cannotStart(d.proc.Spec.Argv, d.proc.Spec.Dir, d.proc.Spec.Env); msg != "" {
			warns = append(warns, fmt.Sprintf("%s: process %q: %s", ld.posString(d.pos), d.proc.Name, msg))
		}
	}
	return warns
}

// cannotStart says why argv cannot start in dir with env, or "". For a
// shell command (sh -c) it looks at the first word when that names a
// program rather than a shell builtin, keyword or expansion.
func cannotStart(argv []string, dir string, env []string) string {
	if dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return fmt.Sprintf("dir %s does not exist: create it, or fix dir", dir)
		}
	}
	if len(argv) == 0 {
		return "" // an error of its own
	}
	name := argv[0]
	if len(argv) == 3 && argv[0] == "sh" && argv[1] == "-c" {
		if name = shellProgram(argv[2]); name == "" {
			return ""
		}
	}
	if strings.Contains(name, "/") {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		fi, err := os.Stat(path)
		switch {
		case err != nil:
			return fmt.Sprintf("no file %s: build it first, or fix cmd (it is looked up again at each start)", path)
		case fi.IsDir() || fi.Mode()&0o111 == 0:
			return fmt.Sprintf("%s is not executable: chmod +x it, or fix cmd", path)
		}
		return ""
	}
	if !inPath(name, pathOf(env)) {
		return fmt.Sprintf("executable %q not found in $PATH: install it, or fix cmd (it is looked up again at each start)", name)
	}
	return ""
}

// pathOf is the PATH the process sees: its env's, else ovrseer's.
func pathOf(env []string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			return v
		}
	}
	return os.Getenv("PATH")
}

func inPath(name, path string) bool {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		if p, err := exec.LookPath(filepath.Join(dir, name)); err == nil && p != "" {
			return true
		}
	}
	return false
}

// shellProgram is the program a shell command line starts with, or "" when
// it starts with anything else (a builtin, a keyword, a redirection, an
// expansion, a subshell...). Leading "exec" and NAME=value words are
// skipped.
func shellProgram(line string) string {
	for _, w := range strings.Fields(line) {
		switch {
		case w == "exec":
			continue
		case strings.Contains(w, "=") && !strings.HasPrefix(w, "="):
			continue
		case strings.ContainsAny(w, "$`(){}<>|&;'\"\\*?[]~!#"):
			return ""
		case shellWords[w]:
			return ""
		}
		return w
	}
	return ""
}

// shellWords are the POSIX shell's keywords and builtins: never looked up
// in PATH.
var shellWords = map[string]bool{
	"!": true, "if": true, "then": true, "else": true, "elif": true, "fi": true, "case": true, "esac": true,
	"for": true, "while": true, "until": true, "do": true, "done": true, "in": true,
	".": true, ":": true, "break": true, "continue": true, "eval": true, "exit": true, "export": true,
	"readonly": true, "return": true, "set": true, "shift": true, "times": true, "trap": true, "unset": true,
	"alias": true, "bg": true, "cd": true, "command": true, "false": true, "fg": true, "getopts": true,
	"hash": true, "jobs": true, "kill": true, "read": true, "true": true, "type": true, "ulimit": true,
	"umask": true, "unalias": true, "wait": true, "echo": true, "printf": true, "test": true, "[": true,
	"local": true, "pwd": true,
}
