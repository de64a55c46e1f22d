package control

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/logger"
)

// remoteCallTimeout bounds the UI's reads of a remote stack.
const remoteCallTimeout = 2 * time.Second

// Remote is a running stack seen through its server, with the methods the
// terminal UI calls on an engine (tui.Engine): `ovrseer attach` shows the
// same UI as a run. Its one subscription is fed from GET
// /v1/events?follow=1&logs=1 and ends when that stream ends (the run is
// over, or Close).
type Remote struct {
	c      *Client
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	snap      []engine.ProcessStatus // the last snapshot read
	phase     string
	changed   chan struct{}            // closed at the next state change; nil until asked for
	seed      map[string][]logger.Line // Subscribe's seed, until Logs takes it; nil: none
	seedTaken map[string]bool          // the processes whose seed Logs returned
}

// NewRemote returns a Remote for c; Close ends its stream.
func NewRemote(c *Client) *Remote {
	ctx, cancel := context.WithCancel(context.Background())
	return &Remote{c: c, ctx: ctx, cancel: cancel, phase: "running"}
}

// Close ends the event stream and every call in flight.
func (r *Remote) Close() { r.cancel() }

// Subscribe returns a subscription fed with the run's event history and
// then its live events, log lines included (a view: a slow reader loses
// log lines, counted). The stream starts with every process's ring
// (seed=1), which Logs then returns: the live lines follow the seeded ones
// exactly, none missing and none twice.
func (r *Remote) Subscribe(opts engine.SubscribeOptions) *engine.Subscription {
	feed := engine.NewFeed(opts)
	body, err := r.c.Stream(r.ctx, "/v1/events?follow=1&logs=1&seed=1")
	if err != nil {
		feed.End()
		return feed
	}
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	first := r.readSeed(sc, body)
	go func() {
		defer feed.End()
		defer body.Close()
		var ev engine.Event
		publish := func(line []byte) {
			if _, err := DecodeEvent(line, &ev); err == nil {
				r.track(&ev)
				feed.Publish(&ev)
			}
		}
		if first != nil {
			publish(first)
		}
		for sc.Scan() {
			publish(sc.Bytes())
		}
	}()
	return feed
}

// seedTimeout bounds the reading of the seed.
const seedTimeout = 30 * time.Second

// readSeed reads the seed at the start of the stream into r.seed, up to
// {"type":"logs:seeded"}. A line of the history met first (a server
// without seeds) is returned, to be published.
func (r *Remote) readSeed(sc *bufio.Scanner, body io.Closer) []byte {
	stuck := time.AfterFunc(seedTimeout, func() { body.Close() })
	defer stuck.Stop()
	seed := map[string][]logger.Line{}
	var ev engine.Event
	for sc.Scan() {
		seq, err := DecodeEvent(sc.Bytes(), &ev)
		switch {
		case err != nil:
			continue
		case ev.Type == SeededType:
			r.mu.Lock()
			r.seed, r.seedTaken = seed, map[string]bool{}
			r.mu.Unlock()
			return nil
		case ev.Type != engine.ProcessLog || seq != 0:
			return bytes.Clone(sc.Bytes())
		}
		stream := logger.Stdout
		if ev.Stream == "stderr" {
			stream = logger.Stderr
		}
		seed[ev.Process] = append(seed[ev.Process], logger.Line{Time: ev.Time, Stream: stream, Text: ev.Line})
	}
	return nil
}

// track notes state changes: every event but log lines may be one.
func (r *Remote) track(ev *engine.Event) {
	if ev.Type == engine.ProcessLog || ev.Type == engine.EventsDropped {
		return
	}
	r.mu.Lock()
	if ev.Type == engine.LifecycleExit {
		r.phase = "exited"
	}
	r.mu.Unlock()
	r.notify()
}

// StateChanged returns a channel closed when a process may next have
// changed state: at a state event, or after an action of this client
// (stopping and stopped have no event of their own).
func (r *Remote) StateChanged() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.changed == nil {
		r.changed = make(chan struct{})
	}
	return r.changed
}

func (r *Remote) notify() {
	r.mu.Lock()
	if r.changed != nil {
		close(r.changed)
		r.changed = nil
	}
	r.mu.Unlock()
}

// Snapshot reads the processes; when the server does not answer, the
// last snapshot read.
func (r *Remote) Snapshot() []engine.ProcessStatus {
	ctx, cancel := context.WithTimeout(r.ctx, remoteCallTimeout)
	defer cancel()
	ps, err := r.c.Processes(ctx)
	st, err2 := r.c.Status(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		r.snap = r.snap[:0]
		for _, p := range ps {
			r.snap = append(r.snap, statusOf(p))
		}
	}
	if err2 == nil && r.phase != "exited" {
		r.phase = st.Phase
	}
	return append([]engine.ProcessStatus(nil), r.snap...)
}

// Phase is the run's phase as last read by Snapshot.
func (r *Remote) Phase() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.phase
}

// Logs returns up to n recent lines of a process: after Subscribe, once
// per process, the lines of the seed (those before the subscription's
// first line); else it reads them from the server.
func (r *Remote) Logs(name string, n int) ([]logger.Line, error) {
	r.mu.Lock()
	seeded := r.seed[name]
	fromSeed := r.seed != nil && !r.seedTaken[name]
	if fromSeed {
		delete(r.seed, name)
		r.seedTaken[name] = true
	}
	r.mu.Unlock()
	if fromSeed {
		return seeded[max(0, len(seeded)-n):], nil
	}
	ctx, cancel := context.WithTimeout(r.ctx, remoteCallTimeout)
	defer cancel()
	body, err := r.c.Stream(ctx, "/v1/processes/"+url.PathEscape(name)+"/logs?n="+strconv.Itoa(n))
	if err != nil {
		return nil, err
	}
	defer body.Close()
	var lines []logger.Line
	err = Lines(body, func(b []byte) bool {
		var l LogLine
		if json.Unmarshal(b, &l) == nil && l.Dropped == 0 {
			s := logger.Stdout
			if l.Stream == "stderr" {
				s = logger.Stderr
			}
			lines = append(lines, logger.Line{Time: l.Time, Stream: s, Text: l.Line})
		}
		return true
	})
	return lines, err
}

// Start, Stop and Restart act at once (the UI follows what happens).
func (r *Remote) Start(name string) error   { return r.action(name, "start") }
func (r *Remote) Stop(name string) error    { return r.action(name, "stop") }
func (r *Remote) Restart(name string) error { return r.action(name, "restart") }

func (r *Remote) action(name, action string) error {
	ctx, cancel := context.WithTimeout(r.ctx, remoteCallTimeout)
	defer cancel()
	_, err := r.c.Action(ctx, name, action, false)
	r.notify()
	return err
}

// RestartAll restarts every main process in deps order, as the
// in-process engine does (POST /v1/restart).
func (r *Remote) RestartAll() ([]string, error) {
	ctx, cancel := context.WithTimeout(r.ctx, remoteCallTimeout)
	defer cancel()
	names, err := r.c.RestartAll(ctx, false)
	r.notify()
	return names, err
}

// Send writes a line to a process's stdin.
func (r *Remote) Send(name, line string) error {
	ctx, cancel := context.WithTimeout(r.ctx, remoteCallTimeout)
	defer cancel()
	return r.c.Send(ctx, name, line)
}

// Quit shuts the stack down (POST /v1/shutdown); a second call forces it.
func (r *Remote) Quit() {
	ctx, cancel := context.WithTimeout(r.ctx, remoteCallTimeout)
	defer cancel()
	r.c.Shutdown(ctx) // the UI sees the shutdown, or its absence, in the events
}
