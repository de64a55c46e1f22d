package control

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// testWait bounds every wait of these tests.
const testWait = 30 * time.Second

func shProc(name, cmd string) engine.Process {
	return engine.Process{Name: name, Group: engine.Main, Autostart: true,
		Spec: unit.Spec{Argv: []string{"sh", "-c", cmd}, StopTimeout: 2 * time.Second}}
}

// startStack runs a real engine with the processes and a server for it;
// everything ends with the test.
func startStack(t *testing.T, procs ...engine.Process) (*engine.Engine, *Client) {
	t.Helper()
	e, err := engine.New(engine.Plan{Processes: procs}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "ctl") // short: a socket path is at most 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	paths := Paths{Ovrfile: "/x/Ovrfile.star", Dir: dir, Socket: filepath.Join(dir, "s.sock"), Lock: filepath.Join(dir, "s.lock")}
	srv, err := Listen(e, Options{Paths: paths, Version: "test", Mode: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	code := make(chan int, 1)
	go func() { code <- e.Run(context.Background()) }()
	t.Cleanup(func() {
		e.Quit()
		select {
		case <-code:
		case <-time.After(testWait):
			t.Error("the engine did not end")
		}
		srv.Close()
	})
	return e, newClient(paths)
}

func waitReady(t *testing.T, e *engine.Engine, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if err := e.WaitReady(ctx, name); err != nil {
		t.Fatal(err)
	}
}

// rawRequest writes data on a new connection and returns the answer's
// status line (the connection is closed).
func rawRequest(t *testing.T, c *Client, data []byte) string {
	t.Helper()
	conn, err := net.Dial("unix", c.Paths.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(testWait))
	go conn.Write(data) // a server may answer before reading it all
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	return strings.TrimSpace(line)
}

// Garbage, a 10 MB body, bad queries and unknown names get their error
// answers, and the server goes on answering.
func TestBadInput(t *testing.T) {
	e, c := startStack(t, shProc("web", "echo up; exec sleep 100"), shProc("repl", "exec cat"))
	waitReady(t, e, "web")
	ctx := context.Background()

	if got := rawRequest(t, c, []byte("\x00\x01\x02 garbage\r\n\r\n")); !strings.Contains(got, "400") {
		t.Errorf("garbage: %q, want 400", got)
	}
	big := bytes.Repeat([]byte("x"), 10<<20)
	req := append([]byte("POST /v1/processes/repl/stdin HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n"), big...)
	if got := rawRequest(t, c, req); !strings.Contains(got, "413") {
		t.Errorf("10 MB line: %q, want 413", got)
	}
	var api *APIError
	if err := c.Do(ctx, http.MethodGet, "/v1/processes/web/logs?n=-1", nil, nil); !errorsAs(err, &api) || api.Status != 400 {
		t.Errorf("n=-1: %v, want 400", err)
	}
	if _, err := c.Action(ctx, "wbe", "restart", false); !errorsAs(err, &api) || api.Status != 404 || !strings.Contains(api.Msg, `did you mean "web"`) {
		t.Errorf("unknown name: %v, want 404 with a suggestion", err)
	}
	if err := c.Do(ctx, http.MethodPost, "/v1/reload", nil, nil); !errorsAs(err, &api) || api.Status != 501 {
		t.Errorf("reload: %v, want 501", err)
	}
	if ps, err := c.Processes(ctx); err != nil || len(ps) != 2 {
		t.Fatalf("after the bad input: %v, %v", ps, err)
	}
}

// A follower that never reads its stream does not slow the stack: a
// process printing 300,000 lines completes, and 100 concurrent clients are
// answered meanwhile.
func TestSlowFollowerAndManyClients(t *testing.T) {
	e, c := startStack(t, shProc("web", "echo up; exec sleep 100"),
		shProc("flood", "sleep 0.3; i=0; while [ $i -lt 3000 ]; do printf '%0100d\\n' 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0; i=$((i+1)); done; echo FLOOD-DONE; exec sleep 100"))
	waitReady(t, e, "web")
	sub := e.Subscribe(engine.SubscribeOptions{LogBuffer: 1})
	defer sub.Close()

	conn, err := net.Dial("unix", c.Paths.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A follow stream of every line that is never read.
	if _, err := conn.Write([]byte("GET /v1/events?follow=1&logs=1 HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	conn2, err := net.Dial("unix", c.Paths.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	if _, err := conn2.Write([]byte("GET /v1/processes/flood/logs?follow=1 HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), testWait)
			defer cancel()
			if _, err := c.Processes(ctx); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a concurrent client: %v", err)
	}

	// The 300,000 lines of flood get through although nobody reads the
	// followers: its last line reaches the ring.
	deadline := time.After(testWait)
	for {
		if lines, _ := e.Logs("flood", 1); len(lines) == 1 && lines[0].Text == "FLOOD-DONE" {
			return
		}
		select {
		case <-sub.Ready():
			sub.Take(nil)
		case <-deadline:
			t.Fatalf("the flood did not get through within %v while followers did not read", testWait)
		}
	}
}

func errorsAs(err error, target **APIError) bool {
	e, ok := err.(*APIError)
	if ok {
		*target = e
	}
	return ok
}
