package reaper

import "time"

// MemberGrace is how long a member of a killed group is given to die of the
// SIGKILL before it counts as an escape (see Settle).
const MemberGrace = time.Second

// Settle waits until deadline for the escapes that are still members of a
// process group other than their own (a background job, `cmd &`, of a
// group ovrseer has just SIGKILLed, adopted while it dies of that signal)
// to go. Those that went are released; the others, and every escape that
// leads its own group (a daemon that called setsid), are returned for the
// caller to Stop or Release.
func Settle(escapes []*Escape, deadline time.Time) []*Escape {
	left := escapes[:0]
	for _, e := range escapes {
		if e.Pgid != e.Pid && e.waitGone(deadline) {
			e.fd.Close()
			continue
		}
		left = append(left, e)
	}
	return left
}

// LeftGroup keeps the escapes that left process group pgid and releases
// those still in it: orphaned inside the group (`(worker &)`), not
// escaped, they go with the group's own signals.
func LeftGroup(pgid int, escapes []*Escape) []*Escape {
	var in []*Escape
	out := escapes[:0]
	for _, e := range escapes {
		if e.Pgid == pgid {
			in = append(in, e)
		} else {
			out = append(out, e)
		}
	}
	Release(in)
	return out
}
