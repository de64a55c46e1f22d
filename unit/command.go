package unit

import (
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/ovrseer/ovrseer/internal/reaper"
)

// newCmd is the command of a spawn, stdin on /dev/null (startProcess may
// set a pipe instead). Argv[0] is looked up on PATH as exec.Command does,
// once for every unit that runs it (see lookPath).
func (u *Unit) newCmd() (*exec.Cmd, error) {
	path, err := lookPath(u.spec.Argv[0])
	if err != nil {
		return nil, err
	}
	null, err := devNull()
	if err != nil {
		return nil, err
	}
	env, err := u.spec.environ()
	if err != nil {
		return nil, err
	}
	return &exec.Cmd{
		Path:        path,
		Args:        u.spec.Argv,
		Dir:         u.spec.Dir,
		Env:         reaper.Env(u.spec.Name, u.spec.User.env(env)),
		Stdin:       null,
		SysProcAttr: u.spec.User.sysProcAttr(), // nil: reaper.Start gives it a session and Pdeathsig
	}, nil
}

// paths caches what exec.Command finds on PATH for an Argv[0], for every
// unit: fifty units of "sh" look it up once. A name that is not found is
// not cached, so that a binary installed later is found by the next spawn,
// and forgetPath drops a name whose executable failed to start (it may have
// moved).
var paths struct {
	mu sync.Mutex
	m  map[string]string
}

// lookPath is exec.Command's lookup of name (none for a name with a
// slash), with its error, through the paths cache.
func lookPath(name string) (string, error) {
	paths.mu.Lock()
	path, ok := paths.m[name]
	paths.mu.Unlock()
	if ok {
		return path, nil
	}
	path = name // relative to Spec.Dir, as exec.Cmd takes it
	if !strings.Contains(name, "/") {
		var err error
		if path, err = exec.LookPath(name); err != nil {
			return "", err
		}
	}
	paths.mu.Lock()
	if paths.m == nil {
		paths.m = map[string]string{}
	}
	paths.m[name] = path
	paths.mu.Unlock()
	return path, nil
}

// forgetPath makes the next lookPath(name) look it up again.
func forgetPath(name string) {
	paths.mu.Lock()
	delete(paths.m, name)
	paths.mu.Unlock()
}

// devNull is /dev/null opened once for reading, the stdin of every child
// without Spec.Stdin (exec.Cmd would open and close it on every spawn).
// It is never closed.
var devNull = sync.OnceValues(func() (*os.File, error) { return os.Open(os.DevNull) })
