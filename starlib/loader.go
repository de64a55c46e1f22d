package starlib

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/ovrseer/ovrseer/unit"
)

// Thread-local keys of load threads.
const (
	keyLoader = "ovrseer.loader" // *loader
	keyFile   = "ovrseer.file"   // absolute path of the file the thread executes
)

// fileOptions are the Starlark dialect of Ovrfiles (docs/ovrfile.md): top-level
// control, set, while and global reassignment on; recursion off.
var fileOptions = &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true}

// decls is what the builtins record while the files execute.
type decls struct {
	procs    []*procDecl
	hooks    []*hookDecl
	settings settingsDecl
}

// loader is the state of one Load: single-threaded except for cancel,
// which the guard calls (starlib.go).
type loader struct {
	opts        Options
	cwd, root   string
	paths       map[string]string // OVRSEER_PATH name -> absolute dir
	predeclared starlark.StringDict
	names       []string // predeclared and universal names, for did-you-mean

	decl  decls
	errs  errorList
	cache map[string]*module // by absolute path
	stack []string           // absolute paths being loaded, outermost first
	files []string           // absolute paths, in load order

	sources map[string][]byte // by display name: to find where a call starts

	libraryLoading string // name (relative to ovr.root) of the library whose top level runs, or ""

	mu      sync.Mutex
	threads []*starlark.Thread // guarded by mu
	expired string             // guarded by mu: the cancellation reason once the time (or memory) is up
}

// module is a cached load result.
type module struct {
	globals starlark.StringDict
	err     error
}

// newThread returns a load thread executing the file at abs.
func (ld *loader) newThread(abs string) *starlark.Thread {
	t := &starlark.Thread{Name: ld.display(abs), Load: ld.load, Print: ld.print}
	t.SetLocal(keyLoader, ld)
	t.SetLocal(keyFile, abs)
	t.SetMaxExecutionSteps(ld.opts.maxSteps())
	ld.mu.Lock()
	ld.threads = append(ld.threads, t)
	if ld.expired != "" {
		t.Cancel(ld.expired)
	}
	ld.mu.Unlock()
	return t
}

func (ld *loader) timeoutReason() string {
	return fmt.Sprintf("loading took longer than %s", unit.FormatDuration(ld.opts.loadTimeout()))
}

// cancel cancels every load thread, and those still to come, with why.
func (ld *loader) cancel(why string) {
	ld.mu.Lock()
	defer ld.mu.Unlock()
	ld.expired = why
	for _, t := range ld.threads {
		t.Cancel(why)
	}
}

func (ld *loader) print(t *starlark.Thread, msg string) {
	if ld.opts.Print != nil {
		ld.opts.Print(msg)
		return
	}
	fmt.Fprintf(os.Stderr, "%s: %s\n", t.CallFrame(1).Pos, msg)
}

// exec runs the file at abs on a fresh thread.
func (ld *loader) exec(abs string, src []byte) (starlark.StringDict, error) {
	ld.sources[ld.display(abs)] = src
	return starlark.ExecFileOptions(fileOptions, ld.newThread(abs), ld.display(abs), src, ld.predeclared)
}

// load implements load() (docs/ovrfile.md) for thread.Load.
func (ld *loader) load(thread *starlark.Thread, name string) (starlark.StringDict, error) {
	from, _ := thread.Local(keyFile).(string)
	abs, err := ld.resolve(from, name)
	if err != nil {
		return nil, err
	}
	if slices.Contains(ld.stack, abs) { // the whole chain, from the top-level Ovrfile
		return nil, fmt.Errorf("load cycle: %s", ld.chain(append(slices.Clip(ld.stack), abs)))
	}
	if m, ok := ld.cache[abs]; ok {
		return m.globals, m.err
	}
	src, err := readSource(abs, ld.display(abs))
	if err != nil {
		return nil, err
	}
	ld.files = append(ld.files, abs)
	ld.stack = append(ld.stack, abs)
	outer := ld.libraryLoading
	ld.libraryLoading = relTo(ld.root, abs)
	globals, err := ld.exec(abs, src)
	ld.libraryLoading = outer
	ld.stack = ld.stack[:len(ld.stack)-1]
	if err != nil {
		ld.errs.addStarlark(err, ld.names)
		err = errReported
	}
	ld.cache[abs] = &module{globals: globals, err: err}
	return globals, err
}

// resolve turns a load() name into an absolute path.
func (ld *loader) resolve(from, name string) (string, error) {
	var base, rest string
	switch {
	case strings.HasPrefix(name, "//"):
		base, rest = ld.root, name[2:]
	case strings.HasPrefix(name, "@"):
		root, r, ok := strings.Cut(name[1:], "//")
		if !ok || root == "" {
			return "", fmt.Errorf("bad load path %q: want @name//path", name)
		}
		dir, ok := ld.paths[root]
		if !ok {
			return "", fmt.Errorf("unknown root @%s%s (OVRSEER_PATH names: %s)", root,
				didYouMean(root, sortedKeys(ld.paths)), orNone(sortedKeys(ld.paths)))
		}
		base, rest = dir, r
	case filepath.IsAbs(name):
		return "", fmt.Errorf("absolute load path %q: use ./relative, //from-root or @name// paths", name)
	default:
		base, rest = filepath.Dir(from), name
	}
	if rest == "" {
		return "", fmt.Errorf("bad load path %q: no file", name)
	}
	if !strings.HasSuffix(rest, ".star") {
		return "", fmt.Errorf("bad load path %q: only .star files are loaded", name)
	}
	abs := filepath.Join(base, filepath.FromSlash(rest))
	if confined := !strings.HasPrefix(name, "."); confined && !within(base, abs) {
		return "", fmt.Errorf("bad load path %q: it leaves %s (//, @name// paths stay inside their root)", name, ld.display(base))
	}
	return abs, nil
}

// within reports whether p is dir or below it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// chain renders a load chain relative to ovr.root.
func (ld *loader) chain(paths []string) string {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = relTo(ld.root, p)
	}
	return strings.Join(names, " -> ")
}

// display names a file in messages: relative to the current directory when
// it is below it, else absolute.
func (ld *loader) display(abs string) string {
	return relTo(ld.cwd, abs)
}

func (ld *loader) posString(pos syntax.Position) string {
	return fmt.Sprintf("%s:%d:%d", pos.Filename(), pos.Line, pos.Col)
}

// relTo returns p relative to dir when p is below dir, else p.
func relTo(dir, p string) string {
	if dir == "" {
		return p
	}
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return p
	}
	return rel
}

// joinRoot resolves p against root; "" stays "".
func joinRoot(root, p string) string {
	switch {
	case p == "":
		return ""
	case filepath.IsAbs(p):
		return filepath.Clean(p)
	}
	return filepath.Join(root, p)
}

// parsePath parses OVRSEER_PATH ("name=dir:name2=dir2"); malformed entries
// are skipped; relative dirs resolve against cwd.
func parsePath(s, cwd string) map[string]string {
	out := map[string]string{}
	for entry := range strings.SplitSeq(s, ":") {
		name, dir, ok := strings.Cut(entry, "=")
		if !ok || name == "" || dir == "" {
			continue
		}
		out[name] = joinRoot(cwd, dir)
	}
	return out
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// callStart moves pos, the open parenthesis of a call, back to the start of
// the callee's dotted name ("ready.log"), so messages point at the call.
func (ld *loader) callStart(pos syntax.Position) syntax.Position {
	src := ld.sources[pos.Filename()]
	for range pos.Line - 1 {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return pos
		}
		src = src[i+1:]
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		src = src[:i]
	}
	line := []rune(string(src))
	i := int(pos.Col) - 1
	if i < 0 || i >= len(line) || line[i] != '(' {
		return pos
	}
	for i > 0 && isNameRune(line[i-1]) {
		i--
	}
	name := pos.Filename()
	return syntax.MakePosition(&name, pos.Line, int32(i+1))
}

func isNameRune(r rune) bool {
	return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
