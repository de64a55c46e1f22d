package control

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrNotRunning is returned by Dial when no run serves the Ovrfile.
var ErrNotRunning = errors.New("no ovrseer is running")

// APIError is an error answer of the server.
type APIError struct {
	Status int
	Msg    string
}

func (e *APIError) Error() string { return e.Msg }

// Client talks to the server of one run.
type Client struct {
	Paths Paths
	hc    *http.Client
}

// dialTimeout bounds connecting; requests are bounded by their context.
const dialTimeout = 2 * time.Second

// Dial finds the run serving the Ovrfile at realPath in the places
// Candidates lists. A socket that refuses connections (stale) counts as
// no run; ErrNotRunning wraps the path.
func Dial(realPath string, getenv func(string) string) (*Client, error) {
	var lastErr error
	for _, p := range Candidates(realPath, getenv) {
		c, err := net.DialTimeout("unix", p.Socket, dialTimeout)
		if err == nil {
			c.Close()
			return newClient(p), nil
		}
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
			continue
		}
		lastErr = fmt.Errorf("control: %s: %w", p.Socket, err)
	}
	if lastErr != nil {
		return nil, lastErr
	}
	return nil, fmt.Errorf("%w for %s", ErrNotRunning, realPath)
}

func newClient(p Paths) *Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", p.Socket)
		},
		MaxIdleConns:    4,
		IdleConnTimeout: 30 * time.Second,
	}
	return &Client{Paths: p, hc: &http.Client{Transport: tr}}
}

// Do sends a request (body may be nil) and decodes a 2xx JSON answer into
// out (nil: discarded). Another answer is an *APIError.
func (c *Client) Do(ctx context.Context, method, path string, body io.Reader, out any) error {
	resp, err := c.send(ctx, method, path, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("control: %s %s: %w", method, path, err)
	}
	return nil
}

// Stream sends a GET and returns the body of a 2xx answer, JSON lines.
func (c *Client) Stream(ctx context.Context, path string) (io.ReadCloser, error) {
	resp, err := c.send(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

func (c *Client) send(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://ovrseer"+path, body)
	if err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("control: %s %s: %w", method, path, unwrapURL(err))
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var e apiError
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(data, &e) != nil || e.Error == "" {
		e.Error = strings.TrimSpace(resp.Status + ": " + string(data))
	}
	return nil, &APIError{Status: resp.StatusCode, Msg: e.Error}
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Processes is GET /v1/processes.
func (c *Client) Processes(ctx context.Context) ([]Process, error) {
	var ps []Process
	return ps, c.Do(ctx, http.MethodGet, "/v1/processes", nil, &ps)
}

// Status is GET /v1/status.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var st Status
	return st, c.Do(ctx, http.MethodGet, "/v1/status", nil, &st)
}

// Action is POST /v1/processes/NAME/ACTION (restart, stop, start): the
// process as it is after the action, or every copy of a replicated name.
func (c *Client) Action(ctx context.Context, name, action string, wait bool) ([]Process, error) {
	path := "/v1/processes/" + url.PathEscape(name) + "/" + action
	if wait {
		path += "?wait=1"
	}
	var raw json.RawMessage
	if err := c.Do(ctx, http.MethodPost, path, nil, &raw); err != nil {
		return nil, err
	}
	var ps []Process
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		err := json.Unmarshal(raw, &ps)
		return ps, wrapDecode(path, err)
	}
	ps = make([]Process, 1)
	return ps, wrapDecode(path, json.Unmarshal(raw, &ps[0]))
}

func wrapDecode(path string, err error) error {
	if err != nil {
		return fmt.Errorf("control: POST %s: %w", path, err)
	}
	return nil
}

// Send is POST /v1/processes/NAME/stdin.
func (c *Client) Send(ctx context.Context, name, line string) error {
	return c.Do(ctx, http.MethodPost, "/v1/processes/"+url.PathEscape(name)+"/stdin", strings.NewReader(line), nil)
}

// Shutdown is POST /v1/shutdown.
func (c *Client) Shutdown(ctx context.Context) error {
	return c.Do(ctx, http.MethodPost, "/v1/shutdown", nil, nil)
}

// Lines calls f with each JSON line of r until r ends, ctx ends or f
// returns false; lines are at most 16 MiB.
func Lines(r io.Reader, f func(line []byte) bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		if !f(sc.Bytes()) {
			return nil
		}
	}
	return sc.Err()
}

// DialSocket connects to the server at a socket path (as `ovrseer ls`
// does for each run it finds).
func DialSocket(socket string) *Client {
	return newClient(Paths{Socket: socket})
}
