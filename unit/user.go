package unit

import (
	"fmt"
	"os/user"
	"strconv"
	"syscall"
)

// Credential is a user a process runs as (Spec.User): its uid, primary
// gid, supplementary groups and home, resolved once at load.
type Credential struct {
	Name   string
	Uid    uint32
	Gid    uint32
	Groups []uint32
	Home   string
}

// LookupUser resolves a user name or numeric uid with its groups.
func LookupUser(nameOrID string) (*Credential, error) {
	u, err := user.Lookup(nameOrID)
	if err != nil {
		if _, numErr := strconv.ParseUint(nameOrID, 10, 32); numErr != nil {
			return nil, fmt.Errorf("unknown user %q", nameOrID)
		}
		if u, err = user.LookupId(nameOrID); err != nil {
			return nil, fmt.Errorf("unknown user %q", nameOrID)
		}
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user %q: uid %q: %w", nameOrID, u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user %q: gid %q: %w", nameOrID, u.Gid, err)
	}
	c := &Credential{Name: u.Username, Uid: uint32(uid), Gid: uint32(gid), Home: u.HomeDir}
	ids, err := u.GroupIds()
	if err != nil {
		return nil, fmt.Errorf("user %q: groups: %w", nameOrID, err)
	}
	for _, id := range ids {
		if g, err := strconv.ParseUint(id, 10, 32); err == nil {
			c.Groups = append(c.Groups, uint32(g))
		}
	}
	return c, nil
}

// sysProcAttr is what reaper.Start gives a child by default (its own
// session, SIGKILL when ovrseer dies), running as c when c is not nil.
func (c *Credential) sysProcAttr() *syscall.SysProcAttr {
	if c == nil {
		return nil // reaper.Start's default
	}
	return &syscall.SysProcAttr{
		Setsid: true, Pdeathsig: syscall.SIGKILL,
		Credential: &syscall.Credential{Uid: c.Uid, Gid: c.Gid, Groups: c.Groups},
	}
}

// env puts HOME, USER and LOGNAME of c before extra (which wins over them).
func (c *Credential) env(extra []string) []string {
	if c == nil {
		return extra
	}
	out := make([]string, 0, len(extra)+3)
	out = append(out, "HOME="+c.Home, "USER="+c.Name, "LOGNAME="+c.Name)
	return append(out, extra...)
}
