package reaper

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"sync"
)

// The environment markers every child carries (see Env).
const (
	UnitVar = "OVRSEER_UNIT" // what started it: a process name, or hook:NAME
	RunVar  = "OVRSEER_RUN"  // this run of ovrseer (RunID)
)

// scrubbedEnv are the variables a child must not inherit: they describe
// ovrseer's own service-manager sockets, or would make it a watchdog.
var scrubbedEnv = []string{"NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "OVRSEER_WATCHDOG"}

// RunID identifies this run of ovrseer among every process on the machine:
// the pid and 64 random bits.
var RunID = sync.OnceValue(func() string {
	var b [8]byte
	rand.Read(b[:])
	return strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
})

// Env is the environment of a child started for unit: ovrseer's own without
// the scrubbed variables, then extra (which wins over an inherited variable
// of the same name), then the markers OVRSEER_UNIT=unit and
// OVRSEER_RUN=RunID() (which win over both).
func Env(unit string, extra []string) []string {
	env := os.Environ()
	out := make([]string, 0, len(env)+len(extra)+2)
	for _, kv := range env {
		if !scrubbed(kv) {
			out = append(out, kv)
		}
	}
	out = append(out, extra...)
	return append(out, UnitVar+"="+unit, RunVar+"="+RunID())
}

func scrubbed(kv string) bool {
	k, _, _ := strings.Cut(kv, "=")
	for _, s := range scrubbedEnv {
		if k == s {
			return true
		}
	}
	return k == UnitVar || k == RunVar
}
