package unit

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"syscall"
	"time"
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
// its own session; cancelling ctx kills the whole group.
func probeExec(ctx context.Context, c Check, spec Spec) error {
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = spec.Dir
	cmd.Env = childEnv(spec.Env)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	if err := startCmd(cmd); err != nil { // Pdeathsig: see startCmd
		return err
	}
	pgid := cmd.Process.Pid
	dog.send('+', pgid) // a lost watchdog is reported by the unit's spawn
	err := cmd.Wait()
	syscall.Kill(-pgid, syscall.SIGKILL) // nothing it forked outlives it
	reapGroup(pgid)
	ForgetGroup(pgid) // SIGKILLed: nothing left for the watchdog to do
	return err
}
