package export

import (
	"fmt"
	"net"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// probeInterval is how often a readiness probe is retried, as ovrseer does.
const probeInterval = 250 * time.Millisecond

// probeLoop runs "$@" (quietly) until it succeeds, at most $1 times
// probeInterval apart; $0 names the check in the failure message.
const probeLoop = `n=$1; shift; i=0; until "$@" >/dev/null 2>&1; do i=$((i + 1)); ` +
	`if [ "$i" -ge "$n" ]; then echo "$0 did not pass in time" >&2; exit 1; fi; sleep 0.25; done`

// probes writes one ExecStartPost= probe loop per tcp, http or exec check,
// so that the unit is started, and After= satisfied, only once it is ready,
// and bounds the start by the checks' timeouts (TimeoutStartSec=).
func (st *stack) probes(u *unitFile, p proc) []Note {
	var notes []Note
	var total time.Duration
	execs := p.execs
	for _, c := range p.Spec.Ready {
		var probe []string
		switch c.Kind {
		case unit.CheckTCP:
			probe = tcpProbe(c.Address)
		case unit.CheckHTTP:
			probe = []string{"/bin/sh", "-c", `[ "$(curl -s -o /dev/null -w '%{http_code}' "$0")" = "$1" ]`, c.URL, fmt.Sprint(c.Status)}
		case unit.CheckExec:
			probe, execs = execs[0], execs[1:]
		case unit.CheckExit:
			if p.Group != engine.Cleanup {
				total += c.Timeout
			}
			continue
		default:
			continue // ready.log: listed with the common notes
		}
		if p.Group == engine.Cleanup {
			notes = append(notes, Note{p.Name, c.String(), "a cleanup unit's command runs on stop, where no check applies"})
			continue
		}
		n := int((c.Timeout + probeInterval - 1) / probeInterval)
		argv := append([]string{"/bin/sh", "-c", probeLoop, c.String(), fmt.Sprint(n)}, probe...)
		u.set("ExecStartPost", execLine(argv))
		total += c.Timeout
	}
	if total > 0 {
		u.set("TimeoutStartSec", span(total))
	}
	return notes
}

// tcpProbe connects with bash's /dev/tcp (an empty host is 127.0.0.1).
func tcpProbe(addr string) []string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = addr, ""
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return []string{"/bin/bash", "-c", `: </dev/tcp/"$0"/"$1"`, host, port}
}
