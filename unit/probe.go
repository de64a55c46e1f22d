package unit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/internal/reaper"
	"github.com/ovrseer/ovrseer/internal/watchdog"
)

// probeTimeout bounds one try of a tcp or http check.
const probeTimeout = 2 * time.Second

// probeClient keeps no idle connections: a check must leave nothing behind.
var probeClient = &http.Client{
	Timeout:   probeTimeout,
	Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // the status asked for is the first answer's
	},
}

// probe tries check c once.
func probe(ctx context.Context, c Check, spec Spec) error {
	switch c.Kind {
	case CheckTCP:
		d := net.Dialer{Timeout: probeTimeout}
		conn, err := d.DialContext(ctx, "tcp", c.Address)
		if err != nil {
			return err
		}
		return conn.Close()
	case CheckHTTP:
		return probeHTTP(ctx, c)
	case CheckExec:
		return probeExec(ctx, c, spec)
	}
	return fmt.Errorf("%s: not polled", c)
}

func probeHTTP(ctx context.Context, c Check) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return err
	}
	resp, err := probeClient.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode != c.Status {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// probeExec runs the check's command in the process's Dir with its Env, in
// its own session, through the reaper; when it exits, or ctx ends first,
// its whole group is killed.
func probeExec(ctx context.Context, c Check, spec Spec) error {
	path, err := lookPath(c.Argv[0])
	if err != nil {
		return err
	}
	null, err := devNull()
	if err != nil {
		return err
	}
	env, err := spec.environ()
	if err != nil {
		return err
	}
	cmd := &exec.Cmd{Path: path, Args: c.Argv, Dir: spec.Dir, Env: reaper.Env(spec.Name, spec.User.env(env)),
		Stdin: null, SysProcAttr: spec.User.sysProcAttr()}
	child, err := reaper.Start(cmd)
	if err != nil {
		return err
	}
	pgid := child.Pid
	watchdog.WatchGroup(pgid) // a lost watchdog is reported by the unit's spawn
	var st reaper.Status
	select {
	case st = <-child.Exited():
	case <-ctx.Done():
	}
	syscall.Kill(-pgid, syscall.SIGKILL) // nothing it forked outlives it
	watchdog.ForgetGroup(pgid)           // SIGKILLed: nothing left for the watchdog to do
	if ctx.Err() != nil {
		return ctx.Err() // the reaper reaps it
	}
	if e := exitOf(st); !e.clean() {
		return errors.New(e.reason())
	}
	return nil
}
