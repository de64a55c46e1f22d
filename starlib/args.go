package starlib

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/unit"
)

// The argument types below validate one kind of value each; they implement
// starlark.Unpacker so UnpackArgs (through lenient) can fill them in.

var signals = map[string]syscall.Signal{
	"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT,
	"SIGKILL": syscall.SIGKILL, "SIGUSR1": syscall.SIGUSR1, "SIGUSR2": syscall.SIGUSR2,
	"SIGTERM": syscall.SIGTERM, "SIGWINCH": syscall.SIGWINCH,
}

// signalNames are the accepted signal names, sorted.
var signalNames = func() []string {
	names := make([]string, 0, len(signals))
	for n := range signals {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}()

// signalArg is a stop signal: "SIGTERM" or "TERM".
type signalArg struct{ sig syscall.Signal }

func (a *signalArg) Unpack(v starlark.Value) error {
	s, ok := starlark.AsString(v)
	if !ok {
		return fmt.Errorf("got %s, want a signal name like \"SIGTERM\"", v.Type())
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	sig, ok := signals[name]
	if !ok {
		return fmt.Errorf("unknown signal %q%s; valid: %s", s, didYouMean(name, signalNames), strings.Join(signalNames, ", "))
	}
	a.sig = sig
	return nil
}

// colorNames are the flag colours, in flagset.Color order. Kept here (not
// only in flagset) because did-you-mean needs the list.
var colorNames = []string{"yellow", "green", "red", "blue", "purple", "orange", "teal"}

// colorArg is a flag colour.
type colorArg struct{ c flagset.Color }

func (a *colorArg) Unpack(v starlark.Value) error {
	s, ok := starlark.AsString(v)
	if !ok {
		return fmt.Errorf("got %s, want a colour name", v.Type())
	}
	i := slices.Index(colorNames, s)
	if i < 0 {
		return fmt.Errorf("unknown colour %q%s; valid: %s", s, didYouMean(s, colorNames), strings.Join(colorNames, ", "))
	}
	a.c = flagset.Color(i)
	return nil
}

// regexArg is an RE2 pattern, compiled once to check it.
type regexArg struct{ pattern string }

func (a *regexArg) Unpack(v starlark.Value) error {
	s, ok := starlark.AsString(v)
	if !ok {
		return fmt.Errorf("got %s, want a regex string", v.Type())
	}
	if _, err := regexp.Compile(s); err != nil {
		return fmt.Errorf("bad regex: %v", err)
	}
	a.pattern = s
	return nil
}

var restartNames = []string{"never", "on-failure", "always"}

// restartArg is a restart policy.
type restartArg struct{ p unit.RestartPolicy }

func (a *restartArg) Unpack(v starlark.Value) error {
	s, ok := starlark.AsString(v)
	if !ok {
		return fmt.Errorf("got %s, want one of %s", v.Type(), strings.Join(restartNames, ", "))
	}
	i := slices.Index(restartNames, s)
	if i < 0 {
		return fmt.Errorf("unknown restart policy %q%s; valid: %s", s, didYouMean(s, restartNames), strings.Join(restartNames, ", "))
	}
	a.p = unit.RestartPolicy(i)
	return nil
}

// cmdArg is a command: a string for sh -c, or an argv list.
type cmdArg struct{ argv []string }

func (a *cmdArg) Unpack(v starlark.Value) error {
	if s, ok := starlark.AsString(v); ok {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("empty command")
		}
		a.argv = []string{"sh", "-c", s}
		return nil
	}
	argv, err := stringList(v)
	if err != nil {
		return fmt.Errorf("want a string or a list of strings: %v", err)
	}
	if len(argv) == 0 || argv[0] == "" {
		return fmt.Errorf("empty command")
	}
	a.argv = argv
	return nil
}

// strList is a list (or tuple) of strings.
type strList struct{ list []string }

func (a *strList) Unpack(v starlark.Value) error {
	l, err := stringList(v)
	a.list = l
	return err
}

func stringList(v starlark.Value) ([]string, error) {
	it, ok := v.(starlark.Indexable)
	if !ok || v.Type() == "string" {
		return nil, fmt.Errorf("got %s, want a list of strings", v.Type())
	}
	out := make([]string, it.Len())
	for i := range out {
		s, ok := starlark.AsString(it.Index(i))
		if !ok {
			return nil, fmt.Errorf("element %d is %s, want string", i, it.Index(i).Type())
		}
		out[i] = s
	}
	return out, nil
}

// envArg is a dict of environment variables, rendered "K=V" sorted by key.
type envArg struct{ env []string }

func (a *envArg) Unpack(v starlark.Value) error {
	d, ok := v.(*starlark.Dict)
	if !ok {
		return fmt.Errorf("got %s, want a dict of strings", v.Type())
	}
	env := make([]string, 0, d.Len())
	for _, kv := range d.Items() {
		k, ok1 := starlark.AsString(kv[0])
		val, ok2 := starlark.AsString(kv[1])
		if !ok1 || !ok2 {
			return fmt.Errorf("entry %s: %s is not a string", kv[0], kv[1])
		}
		if k == "" || strings.Contains(k, "=") {
			return fmt.Errorf("bad variable name %q", k)
		}
		env = append(env, k+"="+val)
	}
	slices.SortFunc(env, func(x, y string) int {
		kx, _, _ := strings.Cut(x, "=")
		ky, _, _ := strings.Cut(y, "=")
		return strings.Compare(kx, ky)
	})
	a.env = env
	return nil
}
