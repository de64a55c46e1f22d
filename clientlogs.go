package main

import (
	"encoding/json"
	"io"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/control"
	"github.com/ovrseer/ovrseer/tui"
)

// cmdLogs is `ovrseer logs [-f] [-n 100] [NAME...]`: the last lines of
// each process (every process without names), prefixed, coloured and made
// safe as the headless output is, merged in time order; with -f, then the
// new lines as they come.
func cmdLogs(c *clientCtx) int {
	cl, code := c.dial()
	if cl == nil {
		return code
	}
	ps, err := cl.Processes(c.ctx)
	if err != nil {
		return c.fail(err)
	}
	all := make([]string, len(ps))
	groups := map[string]engine.Group{}
	for i, p := range ps {
		all[i], groups[p.Name] = p.Name, engine.Group(p.Group)
	}
	names := c.args
	if len(names) == 0 {
		names = all
	}
	n, _ := c.flags.GetInt("lines")
	follow, _ := c.flags.GetBool("follow")
	feed := engine.NewFeed(engine.SubscribeOptions{LogBuffer: 1 << 16})
	printer := tui.NewHeadless(c.stdout, tui.HeadlessOptions{Names: all, Color: useColor(c.global.color, c.stdout)})
	printed := make(chan struct{})
	go func() { printer.Run(feed); close(printed) }()
	defer func() { feed.End(); <-printed }()

	// The followers first, so that no line falls between them and the
	// recent lines; what they repeat is skipped by time.
	var live []io.ReadCloser
	if follow {
		live = make([]io.ReadCloser, len(names))
		for i, name := range names {
			if live[i], err = cl.Stream(c.ctx, logsPath(name, 0, true)); err != nil {
				return c.fail(err)
			}
			defer live[i].Close()
		}
	}
	recent, last, err := c.recentLogs(cl, names, groups, n)
	if err != nil {
		return c.fail(err)
	}
	for i := range recent {
		feed.Publish(&recent[i])
	}
	var wg sync.WaitGroup
	for i, body := range live {
		name := names[i]
		wg.Go(func() { followLogs(body, name, groups[name], last[name], feed) })
	}
	wg.Wait()
	return exitOK
}

func logsPath(name string, n int, follow bool) string {
	p := "/v1/processes/" + url.PathEscape(name) + "/logs?n=" + strconv.Itoa(n)
	if follow {
		p += "&follow=1"
	}
	return p
}

// recentLogs reads the last n lines of each process, merged in time
// order, and the time of each process's last line.
func (c *clientCtx) recentLogs(cl *control.Client, names []string, groups map[string]engine.Group, n int) ([]engine.Event, map[string]time.Time, error) {
	var out []engine.Event
	last := map[string]time.Time{}
	for _, name := range names {
		body, err := cl.Stream(c.ctx, logsPath(name, n, false))
		if err != nil {
			return nil, nil, err
		}
		err = control.Lines(body, func(b []byte) bool {
			var l control.LogLine
			if json.Unmarshal(b, &l) == nil && l.Dropped == 0 {
				out = append(out, logEvent(name, groups[name], l))
				last[name] = l.Time
			}
			return true
		})
		body.Close()
		if err != nil {
			return nil, nil, err
		}
	}
	slices.SortStableFunc(out, func(a, b engine.Event) int { return a.Time.Compare(b.Time) })
	return out, last, nil
}

// followLogs publishes the lines of a follow stream newer than after.
func followLogs(body io.Reader, name string, group engine.Group, after time.Time, feed *engine.Subscription) {
	control.Lines(body, func(b []byte) bool {
		var l control.LogLine
		switch {
		case json.Unmarshal(b, &l) != nil:
		case l.Dropped > 0:
			feed.Publish(&engine.Event{Type: engine.EventsDropped, Count: l.Dropped})
		case l.Time.After(after):
			ev := logEvent(name, group, l)
			feed.Publish(&ev)
		}
		return true
	})
}

func logEvent(name string, group engine.Group, l control.LogLine) engine.Event {
	return engine.Event{Type: engine.ProcessLog, Time: l.Time, Process: name, Group: group, Stream: l.Stream, Line: l.Line}
}
