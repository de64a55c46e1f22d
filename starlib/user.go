package starlib

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/unit"
)

// geteuid is ovrseer's effective uid (a variable for the tests).
var geteuid = os.Geteuid

// userArg is the user option: a name or a uid, resolved at load with its
// groups and home. Running as another user needs ovrseer to be root.
type userArg struct{ cred *unit.Credential }

func (a *userArg) Unpack(v starlark.Value) error {
	var name string
	switch v := v.(type) {
	case starlark.String:
		name = string(v)
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n < 0 {
			return fmt.Errorf("uid %s out of range", v)
		}
		name = strconv.FormatInt(n, 10)
	default:
		return fmt.Errorf("got %s, want a user name or uid", v.Type())
	}
	if name == "" {
		return errors.New("empty user name")
	}
	cred, err := unit.LookupUser(name)
	if err != nil {
		return err
	}
	if geteuid() != 0 {
		return fmt.Errorf("running as %q needs ovrseer to run as root (it runs as uid %d)", name, geteuid())
	}
	a.cred = cred
	return nil
}
