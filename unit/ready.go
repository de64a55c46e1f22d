package unit

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/ovrseer/ovrseer/internal/ansi"
)

// pollInterval is how often tcp, http and exec checks are retried.
const pollInterval = 250 * time.Millisecond

// checkResult is one check of one attempt passing (err nil) or failing.
type checkResult struct {
	a        *attempt
	idx      int // healthIdx: the health check (health.go)
	err      error
	failures int // the health check's failures in a row
}

// logCheck is a ready.log check, matched in the line path under u.mu.
type logCheck struct {
	a    *attempt
	idx  int
	re   *regexp.Regexp
	need int
	seen int
}

// installLogChecks arms a's ready.log checks before the process starts, so
// no early line escapes them.
func (u *Unit) installLogChecks(a *attempt) {
	var checks []*logCheck
	for i, c := range u.spec.Ready {
		if c.Kind == CheckLog {
			re := regexp.MustCompile(c.Pattern) // validated by New
			checks = append(checks, &logCheck{a: a, idx: i, re: re, need: c.Count})
		}
	}
	u.mu.Lock()
	u.logChecks, u.logPending = checks, len(checks)
	u.mu.Unlock()
}

// matchLogChecks runs under u.mu while a ready.log check is pending.
func (u *Unit) matchLogChecks(text string) {
	text = ansi.Strip(text) // as a terminal shows it, as flags match it
	for _, c := range u.logChecks {
		if c.seen >= c.need || !c.re.MatchString(text) {
			continue
		}
		if c.seen++; c.seen == c.need {
			u.logPending--
			c.a.results <- checkResult{a: c.a, idx: c.idx} // buffered: 2 per check
		}
	}
}

// startChecks starts a's timeouts and pollers; with no checks a is ready.
func (u *Unit) startChecks(a *attempt) {
	if a.pending == 0 {
		u.becomeReady(a)
		return
	}
	for i, c := range u.spec.Ready {
		switch c.Kind {
		case CheckLog, CheckExit:
			a.timers = append(a.timers, time.AfterFunc(c.Timeout, func() {
				a.report(checkResult{a: a, idx: i, err: errTimedOut})
			}))
		default:
			u.bg.Add(1)
			go u.poll(a, i, c)
		}
	}
}

// report delivers r unless the buffer (two per check) is somehow full.
func (a *attempt) report(r checkResult) {
	select {
	case a.results <- r:
	default:
	}
}

// checkResult records a result of the live, still starting attempt.
func (u *Unit) checkResult(r checkResult) {
	switch r.idx {
	case healthIdx:
		u.unhealthy(r)
		return
	case stopCmdIdx:
		u.stopCmdResult(r)
		return
	}
	a := u.cur
	if a == nil || r.a != a || u.state != StateStarting || a.failReason != "" || a.passed[r.idx] {
		return
	}
	if r.err != nil {
		c := u.spec.Ready[r.idx]
		u.failReadiness(a, fmt.Sprintf("readiness: %s timed out after %s", c, FormatDuration(c.Timeout)))
		return
	}
	a.passed[r.idx] = true
	if a.pending--; a.pending == 0 {
		u.becomeReady(a)
	}
}

func (u *Unit) becomeReady(a *attempt) {
	a.end(u)
	u.setState(StateReady, Event{Kind: EventReady, Pid: a.pid, Duration: time.Since(a.start)})
	u.startHealth(a)
}

// failReadiness stops the group; its exit is then a crash with reason.
func (u *Unit) failReadiness(a *attempt, reason string) {
	a.failReason = reason
	a.end(u)
	u.signalGroup(a, u.spec.StopSignal)
	stopTimer(&a.killTimer)
	a.killTimer = time.NewTimer(u.spec.StopTimeout)
}

// end stops a's checks: timers, pollers and the line path's log checks.
func (a *attempt) end(u *Unit) {
	a.cancel()
	for _, t := range a.timers {
		t.Stop()
	}
	a.timers = nil
	u.mu.Lock()
	if len(u.logChecks) > 0 && u.logChecks[0].a == a {
		u.logChecks, u.logPending = nil, 0
	}
	u.mu.Unlock()
}

// poll retries a tcp, http or exec check every pollInterval until it passes,
// its timeout (from the spawn) passes, or the attempt's checks end.
func (u *Unit) poll(a *attempt, idx int, c Check) {
	defer u.bg.Done()
	ctx, cancel := context.WithDeadline(a.ctx, a.start.Add(c.Timeout))
	defer cancel()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		if probe(ctx, c, u.spec) == nil {
			a.report(checkResult{a: a, idx: idx})
			return
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				a.report(checkResult{a: a, idx: idx, err: errTimedOut})
			}
			return
		case <-tick.C:
		}
	}
}
