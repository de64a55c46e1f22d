package unit

import (
	"context"
	"fmt"
	"time"
)

// Health is a liveness check (docs/ovrfile.md, health): once the process is
// ready, Check (tcp, http or exec) runs every Every, each try bounded by
// the check's Timeout; after Failures failures in a row the unit reports
// EventUnhealthy and stops the process, whose exit is then a crash with
// the reason "health: ...", handled by the restart policy (it counts
// against MaxRestarts).
type Health struct {
	Check    Check
	Every    time.Duration // 0 means DefaultHealthEvery
	Failures int           // 0 means DefaultHealthFailures
}

const (
	DefaultHealthEvery    = 10 * time.Second
	DefaultHealthFailures = 3
	healthIdx             = -1 // a checkResult of the health check
)

// HealthEveryRange bounds Health.Every.
var HealthEveryRange = Range{Min: 100 * time.Millisecond, Max: 24 * time.Hour}

// startHealth starts a's health loop once it is ready; it ends when the
// attempt exits (stopHealth) or the unit closes.
func (u *Unit) startHealth(a *attempt) {
	h := u.spec.Health
	if h == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.stopHealth = cancel
	u.bg.Add(1)
	go u.healthLoop(ctx, a, *h)
}

func (u *Unit) healthLoop(ctx context.Context, a *attempt, h Health) {
	defer u.bg.Done()
	every := orDefault(h.Every, DefaultHealthEvery)
	limit := h.Failures
	if limit <= 0 {
		limit = DefaultHealthFailures
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-u.done:
			return
		case <-tick.C:
		}
		tctx, cancel := context.WithTimeout(ctx, h.Check.Timeout)
		err := probe(tctx, h.Check, u.spec)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			failures = 0
			continue
		}
		if failures++; failures >= limit {
			a.report(checkResult{a: a, idx: healthIdx, err: err, failures: failures})
			return
		}
	}
}

// unhealthy handles the health loop's verdict on the live, ready attempt:
// EventUnhealthy, then the process is stopped and its exit is a crash.
func (u *Unit) unhealthy(r checkResult) {
	a := u.cur
	if a == nil || r.a != a || u.state != StateReady || a.failReason != "" {
		return
	}
	c := u.spec.Health.Check
	u.unhealthyCrash = true // the restart that follows says "health"
	u.emit(Event{Kind: EventUnhealthy, Pid: a.pid, Reason: c.String(), Restarts: r.failures, Err: r.err})
	u.failReadiness(a, fmt.Sprintf("health: %s failed %d times in a row: %v", c, r.failures, r.err))
}

// crashKind is the reason of a crash restart: "health" after a failed
// health check, else "crash".
func (u *Unit) crashKind() string {
	if u.unhealthyCrash {
		u.unhealthyCrash = false
		return "health"
	}
	return "crash"
}
