package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/spf13/pflag"

	"github.com/ovrseer/ovrseer/engine"
	"go.starlark.net/syntax"
)

// snippet is one ```python block of a document.
type snippet struct {
	doc  string // README.md, docs/ovrfile.md
	line int    // of the opening fence
	text string
	// continues: the block is checked appended to the previous checked
	// block of the same document (marked <!-- snippet: continues --> on
	// the line before the fence).
	continues bool
}

// signatureCall is a call whose first argument is a bare parameter name
// (`flag(name, pattern, ...)`, `dependency(name, cmd, **opts)`): a block
// with one documents signatures, it is not an Ovrfile to run.
var signatureCall = regexp.MustCompile(`(?m)^\s*[A-Za-z_.]+\((name|pattern|event|address|url|cmd)\b|\*\*opts`)

// libraryHeader is a block's first line naming the library file it is
// (`# lib/stack.star`): it is written there for the next checked block.
var libraryHeader = regexp.MustCompile(`^# (\S+\.star)\b`)

// docSnippets reads the ```python blocks of the documents a user reads.
func docSnippets(t *testing.T) []snippet {
	docs, err := filepath.Glob("docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	docs = append([]string{"README.md"}, docs...)
	var out []snippet
	for _, doc := range docs {
		f, err := os.Open(doc)
		if err != nil {
			t.Fatal(err)
		}
		var cur *snippet
		var prev string
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			switch {
			case cur == nil && strings.TrimSpace(line) == "```python":
				cur = &snippet{doc: doc, line: n, continues: strings.TrimSpace(prev) == "<!-- snippet: continues -->"}
			case cur != nil && strings.TrimSpace(line) == "```":
				out = append(out, *cur)
				cur = nil
			case cur != nil:
				cur.text += line + "\n"
			}
			prev = line
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestDocSnippets checks that every Starlark example in README.md and
// docs/*.md loads: each block is an Ovrfile given to `ovrseer check`
// (a `# lib/x.star` block is written as that file for the next one);
// a block of signatures is only parsed.
func TestDocSnippets(t *testing.T) {
	snippets := docSnippets(t)
	if len(snippets) < 5 {
		t.Fatalf("found %d Starlark blocks in the docs, expected more: is the extraction broken?", len(snippets))
	}
	dir := t.TempDir()
	checked := 0
	libs := map[string]string{}
	last := map[string]string{} // doc -> the last checked Ovrfile text
	for _, s := range snippets {
		where := fmt.Sprintf("%s:%d", s.doc, s.line)
		if signatureCall.MatchString(s.text) {
			if _, err := syntax.Parse(where, s.text, 0); err != nil {
				t.Errorf("%s: a block of signatures that does not parse: %v", where, err)
			}
			continue
		}
		if m := libraryHeader.FindStringSubmatch(s.text); m != nil && path.Base(m[1]) != "Ovrfile.star" {
			libs[m[1]] = s.text
			continue
		}
		text := s.text
		if s.continues {
			if last[s.doc] == "" {
				t.Fatalf("%s: marked as continuing, but no block before it", where)
			}
			text = last[s.doc] + "\n" + text
		}
		last[s.doc] = text
		// One script per block, named after it: README.md-284.txtar.
		var script strings.Builder
		fmt.Fprintf(&script, "# %s\nexec ovrseer check\n", where)
		for name, lib := range libs {
			fmt.Fprintf(&script, "-- %s --\n%s", name, lib)
		}
		libs = map[string]string{}
		fmt.Fprintf(&script, "-- Ovrfile.star --\n%s", text)
		name := fmt.Sprintf("%s-%d.txtar", strings.ReplaceAll(s.doc, "/", "-"), s.line)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no block was checked")
	}
	testscript.Run(t, testscript.Params{Dir: dir, RequireExplicitExec: true})
}

// mdLink is a relative markdown link: [text](path#anchor).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// anchor is GitHub's anchor for a heading: lower case, punctuation
// dropped, spaces as hyphens.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// anchors lists the anchors of a markdown file's headings.
func anchors(t *testing.T, file string) map[string]bool {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fence := false
	for line := range strings.Lines(string(data)) {
		if strings.HasPrefix(line, "```") {
			fence = !fence
		}
		if h, ok := strings.CutPrefix(line, "#"); ok && !fence {
			out[anchor(strings.TrimSpace(strings.TrimLeft(h, "#")))] = true
		}
	}
	return out
}

// TestDocLinks: every relative link of README.md, docs/*.md and
// bench/README.md names a file that exists and, with #anchor, a heading
// of it.
func TestDocLinks(t *testing.T) {
	docs, _ := filepath.Glob("docs/*.md")
	docs = append(docs, "README.md", "bench/README.md")
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			path := doc
			if file != "" {
				path = filepath.Join(filepath.Dir(doc), file)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s: link %s: %v", doc, target, err)
				continue
			}
			if frag != "" && strings.HasSuffix(path, ".md") && !anchors(t, path)[frag] {
				t.Errorf("%s: link %s: no heading with that anchor in %s", doc, target, path)
			}
		}
	}
}

// TestFlagsDocumented: every flag of run, check and export, and of each
// client command, is in docs/cli.md's flag table, and those of run, check
// and export in -h too.
func TestFlagsDocumented(t *testing.T) {
	data, err := os.ReadFile("docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	help := usage()
	newFlagSet().VisitAll(func(f *pflag.Flag) {
		spelled := "`--" + f.Name
		if f.Shorthand != "" {
			spelled = "`-" + f.Shorthand + ", --" + f.Name
		}
		if !regexp.MustCompile(`(?m)^\| [^\n]*` + regexp.QuoteMeta(spelled) + "\\b").MatchString(doc) {
			t.Errorf("--%s: no row with %s in docs/cli.md's flag table", f.Name, spelled)
		}
		if !strings.Contains(help, "--"+f.Name) {
			t.Errorf("--%s: not in ovrseer -h", f.Name)
		}
	})
	for _, cmd := range []string{"ps", "logs", "events", "restart", "stop", "start", "send", "down", "attach", "ls", "reload"} {
		clientFlags(cmd).VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			spelled := "--" + f.Name
			if f.Shorthand != "" {
				spelled = "-" + f.Shorthand
			}
			if !regexp.MustCompile(`ovrseer \[-f FILE\] [a-z|]*\b` + cmd + `\b.*` + regexp.QuoteMeta(spelled)).MatchString(doc) {
				t.Errorf("ovrseer %s %s: not in docs/cli.md", cmd, spelled)
			}
		})
	}
}

// TestEventsTable: docs/events.md's table has a row for every event type
// hooks can name, and each row lists exactly the extra fields the events
// carry (engine.Type.Fields; `state` is described above the table).
func TestEventsTable(t *testing.T) {
	data, err := os.ReadFile("docs/events.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	row := regexp.MustCompile("(?m)^\\| `([a-z]+:[a-z-]+)` \\|(.*)\\|\\s*$")
	field := regexp.MustCompile("`([a-z_]+)`")
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		desc := dropParens(m[2])
		for _, cut := range []string{";", " — ", ": "} { // the fields come first
			desc, _, _ = strings.Cut(desc, cut)
		}
		var fields []string
		for _, f := range field.FindAllStringSubmatch(desc, -1) {
			if f[1] != "process" && f[1] != "group" { // every event's, where relevant
				fields = append(fields, f[1])
			}
		}
		rows[m[1]] = fields
	}
	for _, typ := range engine.Types {
		got, ok := rows[string(typ)]
		if !ok {
			t.Errorf("%s: no row in docs/events.md", typ)
			continue
		}
		want := slices.DeleteFunc(slices.Clone(typ.Fields()), func(f string) bool { return f == "state" })
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
			t.Errorf("%s: docs/events.md lists %v, the events carry %v", typ, got, want)
		}
		delete(rows, string(typ))
	}
	for typ := range rows {
		t.Errorf("%s: in docs/events.md but not an event type", typ)
	}
}

// dropParens removes the parenthesized parts of s (nested ones too).
func dropParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
