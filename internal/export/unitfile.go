package export

import (
	"fmt"
	"strings"
	"time"
)

// unitFile builds one systemd unit file: comments and key=value lines in
// sections, in the order they were added.
type unitFile struct{ b strings.Builder }

func (u *unitFile) comment(format string, args ...any) {
	fmt.Fprintf(&u.b, "# "+format+"\n", args...)
}

func (u *unitFile) section(name string) {
	if u.b.Len() > 0 {
		u.b.WriteByte('\n')
	}
	fmt.Fprintf(&u.b, "[%s]\n", name)
}

func (u *unitFile) set(key, value string) { fmt.Fprintf(&u.b, "%s=%s\n", key, value) }

// list writes key=v for each value, one line each.
func (u *unitFile) list(key string, values []string) {
	for _, v := range values {
		u.set(key, v)
	}
}

func (u *unitFile) bytes() []byte { return []byte(u.b.String()) }

// execLine quotes argv for ExecStart= and its kin: each word that is not
// plain is double-quoted with C escapes; "$" is doubled (systemd expands
// $VAR there) and "%" too (specifiers).
func execLine(argv []string) string {
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = execWord(a)
	}
	return strings.Join(words, " ")
}

func execWord(s string) string {
	if s != "" && plainWord(s) {
		return s
	}
	if s == ";" {
		return `\;`
	}
	return `"` + cEscape(s, true) + `"`
}

// plainWord reports whether s needs no quoting in an exec line.
func plainWord(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("/._-+:=,@", r):
		default:
			return false
		}
	}
	return true
}

// envAssignment quotes KEY=VALUE for Environment=: the whole assignment in
// double quotes with C escapes, "%" doubled; "$" is literal there.
func envAssignment(k, v string) string {
	return `"` + cEscape(k+"="+v, false) + `"`
}

// cEscape escapes s for a double-quoted systemd string.
func cEscape(s string, dollar bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c == '%':
			b.WriteString("%%")
		case c == '$' && dollar:
			b.WriteString("$$")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// plainValue escapes a one-line value such as a path or a description:
// "%" doubled; control bytes are not allowed in a unit file line.
func plainValue(s string) (string, error) {
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", fmt.Errorf("%q: a control character cannot be written in a unit file", s)
	}
	return strings.ReplaceAll(s, "%", "%%"), nil
}

// span renders d as a systemd time span: whole seconds, else milliseconds.
func span(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return fmt.Sprintf("%dms", d/time.Millisecond)
}
