package unit

import (
	"errors"
	"fmt"
	"regexp"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/flagset"
)

// Spec describes one supervised process. A zero StopTimeout, Backoff or
// MaxBackoff means "at once"; other zero fields stand for the defaults of
// limits.go (see the field comments), for fields where zero is not a legal
// value.
type Spec struct {
	Name  string
	Group string // "dependencies", "main" or "cleanup"; only reported

	Argv []string // argv[0] is looked up in PATH (once; again after a failure); a shell command is {"sh", "-c", cmd}
	Dir  string   // working directory; "" is ovrseer's
	Env  []string // "KEY=VALUE" added to ovrseer's environment; ${VAR}, $VAR expanded at spawn (envfile.go)
	// EnvFiles are dotenv files (absolute paths) read at each spawn, below Env.
	EnvFiles []string
	OkCodes  []int       // exit codes that mean success (okcodes.go); none: 0
	Health   *Health     // a liveness check once ready (health.go); nil: none
	StopCmd  []string    // run to stop the process instead of StopSignal (stopcmd.go)
	User     *Credential // run as this user (and ready.exec too); nil: as ovrseer

	Ready []Check        // all must pass; none means ready when spawned
	Flags []flagset.Flag // tested against every line

	Restart     RestartPolicy
	MaxRestarts int           // restarts after which the process is failed; 0: none
	Backoff     time.Duration // first restart delay; 0: at once
	MaxBackoff  time.Duration // cap on the delay; 0: every restart at once

	StopSignal  syscall.Signal // 0 means SIGTERM
	StopTimeout time.Duration  // then SIGKILL to the group; 0: SIGKILL at once

	// Final marks a process whose exit is a result, not a crash (the
	// exit_with process): never restarted, and any exit but a requested
	// stop or a failed readiness completes it (no EventCrash, no report).
	Final bool

	Stdin    bool // a pipe Send writes to; otherwise /dev/null
	LogLines int  // ring size, at most MaxLogLines; 0 means DefaultLogLines

	// StableAfter is the uptime after which the count of consecutive
	// restarts (for the backoff and MaxRestarts) starts again from zero, as
	// it does on Start and Restart; 0 means 10 s.
	StableAfter time.Duration
}

// RestartPolicy says which exits restart the process.
type RestartPolicy uint8

const (
	RestartNever RestartPolicy = iota
	RestartOnFailure
	RestartAlways
)

// String returns "never", "on-failure" or "always".
func (p RestartPolicy) String() string {
	switch p {
	case RestartNever:
		return "never"
	case RestartOnFailure:
		return "on-failure"
	case RestartAlways:
		return "always"
	}
	return fmt.Sprintf("RestartPolicy(%d)", p)
}

// CheckKind is the kind of a readiness check.
type CheckKind uint8

const (
	CheckLog  CheckKind = iota // a line matches Pattern (Count times)
	CheckExit                  // the process exits with Code
	CheckTCP                   // Address accepts a connection
	CheckHTTP                  // GET URL answers Status
	CheckExec                  // Argv exits 0
)

// Check is one readiness check. Timeout counts from the spawn.
type Check struct {
	Kind    CheckKind
	Timeout time.Duration

	Pattern string   // CheckLog: RE2, ANSI codes ignored, stdout and stderr
	Count   int      // CheckLog: matches needed; 0 means 1
	Code    int      // CheckExit
	Address string   // CheckTCP
	URL     string   // CheckHTTP
	Status  int      // CheckHTTP; 0 means 200
	Argv    []string // CheckExec, run in the process's Dir with its Env

	// External (CheckTCP, CheckHTTP) says the server is not the process's
	// own. Otherwise, when the host is local, the port must be free when
	// the process is spawned: a start finding it taken fails (a crash
	// naming the holder) and spawns nothing.
	External bool
}

// String renders the check as it is written in an Ovrfile, e.g.
// ready.log("listening"), for messages and crash reasons.
func (c Check) String() string {
	switch c.Kind {
	case CheckLog:
		return fmt.Sprintf("ready.log(%q)", c.Pattern)
	case CheckExit:
		if c.Code == OkCode {
			return "ready.exit()"
		}
		return fmt.Sprintf("ready.exit(code = %d)", c.Code)
	case CheckTCP:
		return fmt.Sprintf("ready.tcp(%q%s)", c.Address, c.externalArg())
	case CheckHTTP:
		return fmt.Sprintf("ready.http(%q%s)", c.URL, c.externalArg())
	case CheckExec:
		return fmt.Sprintf("ready.exec(%q)", c.Argv)
	}
	return fmt.Sprintf("CheckKind(%d)", c.Kind)
}

func (c Check) externalArg() string {
	if c.External {
		return ", external = True"
	}
	return ""
}

// withDefaults validates s and returns it with every zero default filled in.
func (s Spec) withDefaults() (Spec, error) {
	var errs []error
	if len(s.Argv) == 0 || s.Argv[0] == "" {
		errs = append(errs, errors.New("empty command"))
	}
	if s.MaxRestarts < 0 || s.MaxRestarts > MaxMaxRestarts {
		errs = append(errs, fmt.Errorf("max restarts %d out of range 0–%d", s.MaxRestarts, MaxMaxRestarts))
	}
	if s.LogLines > MaxLogLines {
		errs = append(errs, fmt.Errorf("log lines %d out of range 1–%d", s.LogLines, MaxLogLines))
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"backoff", s.Backoff}, {"max backoff", s.MaxBackoff}, {"stop timeout", s.StopTimeout}} {
		if d.d < 0 {
			errs = append(errs, fmt.Errorf("%s %s < 0", d.name, d.d))
		}
	}
	s.StableAfter = orDefault(s.StableAfter, DefaultStableAfter)
	if s.StopSignal == 0 {
		s.StopSignal = syscall.SIGTERM
	}
	if s.LogLines <= 0 {
		s.LogLines = DefaultLogLines
	}
	s.Ready = append([]Check(nil), s.Ready...)
	for i := range s.Ready {
		if err := s.Ready[i].fill(); err != nil {
			errs = append(errs, err)
		}
	}
	return s, errors.Join(errs...)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// fill validates c and fills in its defaults.
func (c *Check) fill() error {
	if c.Kind == CheckExit {
		c.Timeout = orDefault(c.Timeout, DefaultExitTimeout)
	} else {
		c.Timeout = orDefault(c.Timeout, DefaultCheckTimeout)
	}
	switch c.Kind {
	case CheckLog:
		c.Count = max(c.Count, 1)
		if _, err := regexp.Compile(c.Pattern); err != nil {
			return fmt.Errorf("%s: %w", c, err)
		}
	case CheckExit:
	case CheckTCP:
		if c.Address == "" {
			return fmt.Errorf("%s: empty address", c)
		}
	case CheckHTTP:
		if c.URL == "" {
			return fmt.Errorf("%s: empty url", c)
		}
		if c.Status == 0 {
			c.Status = 200
		}
	case CheckExec:
		if len(c.Argv) == 0 {
			return fmt.Errorf("%s: empty command", c)
		}
	default:
		return fmt.Errorf("unknown check kind %d", c.Kind)
	}
	return nil
}
