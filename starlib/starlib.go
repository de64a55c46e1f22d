package starlib

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkjson"
	"go.starlark.net/starlarkstruct"

	"github.com/ovrseer/ovrseer/engine"
)

// Options configure loading.
type Options struct {
	Mode        string              // "dev" or "ci" (ovr.mode); "" means "dev"
	Getenv      func(string) string // os.getenv; nil means os.Getenv (the environment is read, never written)
	OvrseerPath string              // OVRSEER_PATH ("name=dir:name2=dir2"); relative dirs against the current directory

	MaxSteps     uint64           // Starlark steps per loaded file; 0 means 10 million
	LoadTimeout  time.Duration    // wall-clock limit of the whole load; 0 means 5 s
	HookMaxSteps uint64           // Starlark steps per hook invocation; 0 means 100 million
	MemoryBudget uint64           // heap growth allowed while the load or one hook runs; 0 means 512 MiB
	Print        func(msg string) // print() at load time; nil writes "file:line:col: msg" to stderr
}

func (o Options) maxSteps() uint64 { return cmp0(o.MaxSteps, 10_000_000) }

func (o Options) loadTimeout() time.Duration { return cmp0(o.LoadTimeout, 5*time.Second) }

func (o Options) hookMaxSteps() uint64 { return cmp0(o.HookMaxSteps, 100_000_000) }

func (o Options) memoryBudget() uint64 { return cmp0(o.MemoryBudget, defaultMemoryBudget) }

func cmp0[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Ovrfile is a loaded, validated Ovrfile.
type Ovrfile struct {
	Plan  engine.Plan // gate hooks are already in Plan.Gates; they act once Attach was called
	Hooks []HookInfo  // every registered hook, in registration order
	Files []string    // every file loaded (absolute), top-level first
	Root  string      // ovr.root

	// Warnings are problems that do not stop a run, each naming the file
	// and line: a command that cannot start as the Ovrfile stands.
	Warnings []string

	// ShowSecrets makes WritePlan and WritePlanJSON print the values of
	// secret-looking variables (a "_"-separated word TOKEN, SECRET,
	// PASSWORD, PASSWD, KEY or CREDENTIALS) and URL passwords; by default
	// they are shown as ***.
	ShowSecrets bool

	hooks []*hook // ordinary (queued) hooks, in registration order
	rt    *runtime
}

// HookInfo describes one registered hook.
type HookInfo struct {
	Event   engine.Type
	Name    string
	Process string
	Flag    string
}

// Load executes the Ovrfile at path and converts what it declared into a
// plan. Every problem is returned at once as an Errors value, sorted by
// position, each naming file:line:col. A file that cannot be read is
// returned as a wrapped fs error (errors.Is(err, fs.ErrNotExist)).
func Load(path string, opts Options) (*Ovrfile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("ovrfile: %w", err)
	}
	src, err := readSource(abs, path)
	if err != nil {
		return nil, fmt.Errorf("ovrfile: %w", err)
	}
	return load(abs, src, opts)
}

// load runs the top-level file abs whose content is src.
func load(abs string, src []byte, opts Options) (*Ovrfile, error) {
	cwd, _ := os.Getwd()
	ld := &loader{
		opts:    opts,
		cwd:     cwd,
		root:    filepath.Dir(abs),
		paths:   parsePath(opts.OvrseerPath, cwd),
		cache:   map[string]*module{},
		sources: map[string][]byte{},
		stack:   []string{abs},
		files:   []string{abs},
	}
	ld.decl.settings = defaultSettings(ld.root)
	ld.predeclare()
	ctx, cancel := context.WithTimeout(context.Background(), opts.loadTimeout())
	defer cancel()
	err := guarded(ctx, opts.memoryBudget(), ld.cancel, ld.timeoutReason, func() error {
		_, err := ld.exec(abs, src)
		return err
	})
	var abandoned *abandonedError
	if errors.As(err, &abandoned) { // ld is still in use by the abandoned thread
		return nil, Errors{{File: ld.display(abs), Msg: abandoned.Error()}}
	}
	var o *Ovrfile
	if err != nil {
		ld.errs.addStarlark(err, ld.names)
	} else {
		o = ld.convert()
	}
	if len(ld.errs.errs) > 0 {
		display := make([]string, len(ld.files))
		for i, f := range ld.files {
			display[i] = ld.display(f)
		}
		return nil, ld.errs.sorted(display)
	}
	return o, nil
}

// predeclare builds the builtins of docs/ovrfile.md.
func (ld *loader) predeclare() {
	mode := cmp0(ld.opts.Mode, "dev")
	ld.predeclared = starlark.StringDict{
		"dependency": declareBuiltin("dependency", engine.Dependencies),
		"process":    declareBuiltin("process", engine.Main),
		"cleanup":    declareBuiltin("cleanup", engine.Cleanup),
		"ready":      readyModule(),
		"flag":       flagBuiltin(),
		"after":      afterBuiltin(),
		"health":     healthBuiltin(),
		"on":         onBuiltin(),
		"settings":   settingsBuiltin(),
		"os": &starlarkstruct.Module{Name: "os", Members: starlark.StringDict{
			"getenv": getenvBuiltin(cmp0Func(ld.opts.Getenv, os.Getenv)),
		}},
		"ovr": &starlarkstruct.Module{Name: "ovr", Members: starlark.StringDict{
			"mode": starlark.String(mode),
			"root": starlark.String(ld.root),
		}},
		"struct": starlark.NewBuiltin("struct", starlarkstruct.Make),
		"json":   starlarkjson.Module,
	}
	ld.predeclared.Freeze()
	ld.names = append(ld.predeclared.Keys(), starlark.Universe.Keys()...)
}

func cmp0Func(f, def func(string) string) func(string) string {
	if f == nil {
		return def
	}
	return f
}

// getenvBuiltin is os.getenv(name, default=None). It also works in hooks.
func getenvBuiltin(getenv func(string) string) *starlark.Builtin {
	return starlark.NewBuiltin("os.getenv", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var (
			name string
			def  starlark.Value = starlark.None
		)
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "default?", &def); err != nil {
			return nil, err
		}
		if v := getenv(name); v != "" {
			return starlark.String(v), nil
		}
		return def, nil
	})
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
