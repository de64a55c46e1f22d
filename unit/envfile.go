package unit

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// environ is what a spawn (and a ready.exec probe) adds to ovrseer's
// environment, computed at each spawn: the variables of Spec.EnvFiles, read
// now, in order (a later file wins), then Spec.Env with ${VAR} and $VAR
// expanded from those files and ovrseer's environment ($$ is a literal $,
// an unset variable is empty); Env wins over the files. A file that cannot
// be read is an error naming it: the start fails.
func (s *Spec) environ() ([]string, error) {
	if len(s.EnvFiles) == 0 && !needsExpand(s.Env) {
		return s.Env, nil
	}
	vars := map[string]string{}
	var out []string
	for _, path := range s.EnvFiles {
		kvs, err := readEnvFile(path, vars)
		if err != nil {
			return nil, err
		}
		out = append(out, kvs...)
	}
	for _, kv := range s.Env {
		k, v, _ := strings.Cut(kv, "=")
		v = expand(v, vars)
		vars[k] = v
		out = append(out, k+"="+v)
	}
	return out, nil
}

func needsExpand(env []string) bool {
	for _, kv := range env {
		if strings.Contains(kv, "$") {
			return true
		}
	}
	return false
}

// expand replaces ${VAR} and $VAR by vars[VAR], else ovrseer's $VAR; $$ is
// a literal $ (os.Expand's other special names are kept as written).
func expand(v string, vars map[string]string) string {
	if !strings.Contains(v, "$") {
		return v
	}
	return os.Expand(v, func(name string) string {
		switch {
		case name == "$":
			return "$"
		case len(name) == 1 && !isVarByte(name[0], false):
			return "$" + name
		}
		if val, ok := vars[name]; ok {
			return val
		}
		return os.Getenv(name)
	})
}

func isVarByte(c byte, digitOK bool) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (digitOK && c >= '0' && c <= '9')
}

// readEnvFile parses a dotenv file: KEY=value lines, blank lines and #
// comments skipped, an optional "export " prefix; a value in single quotes
// is literal, one in double quotes has \n, \t, \" and \\ escapes and is
// expanded as Env is, an unquoted one ends at " #" and is trimmed and
// expanded. vars gains every variable read.
func readEnvFile(path string, vars map[string]string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("env_file: %w", err)
	}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, raw, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || !validVarName(k) {
			return nil, fmt.Errorf("env_file %s:%d: want KEY=value", path, n)
		}
		v, err := envValue(strings.TrimSpace(raw), vars)
		if err != nil {
			return nil, fmt.Errorf("env_file %s:%d: %w", path, n, err)
		}
		vars[k] = v
		out = append(out, k+"="+v)
	}
	return out, sc.Err()
}

func validVarName(k string) bool {
	for i := 0; i < len(k); i++ {
		if !isVarByte(k[i], i > 0) {
			return false
		}
	}
	return k != ""
}

func envValue(raw string, vars map[string]string) (string, error) {
	if raw == "" {
		return "", nil
	}
	switch q := raw[0]; q {
	case '\'':
		end := strings.IndexByte(raw[1:], '\'')
		if end < 0 {
			return "", fmt.Errorf("unclosed quote")
		}
		return raw[1 : 1+end], nil
	case '"':
		var b strings.Builder
		for i := 1; i < len(raw); i++ {
			c := raw[i]
			switch {
			case c == '"':
				return expand(b.String(), vars), nil
			case c == '\\' && i+1 < len(raw):
				i++
				b.WriteByte(unescape(raw[i]))
			default:
				b.WriteByte(c)
			}
		}
		return "", fmt.Errorf("unclosed quote")
	}
	if i := strings.Index(raw, " #"); i >= 0 {
		raw = strings.TrimSpace(raw[:i])
	}
	return expand(raw, vars), nil
}

// unescape is the byte \c stands for in double quotes.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	}
	return c
}
