package control

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

// restart, stop and start of a replicated name act on every copy and
// answer with the list of copies.
func TestActionOnCopies(t *testing.T) {
	web := func(name string) (p engine.Process) {
		p = shProc(name, "echo up; exec sleep 100")
		p.ReplicaOf = "web"
		return p
	}
	e, c := startStack(t, web("web-1"), web("web-2"))
	waitReady(t, e, "web")
	ctx := context.Background()
	before := pids(t, c)
	ps, err := c.Action(ctx, "web", "restart", true)
	if err != nil || len(ps) != 2 || ps[0].Name != "web-1" || ps[1].Name != "web-2" {
		t.Fatalf("restart web: %+v, %v; want web-1 and web-2", ps, err)
	}
	for i, p := range ps {
		if p.State != "ready" && p.State != "starting" || p.Pid == before[p.Name] {
			t.Errorf("copy %d after restart web: %+v (pid before %d)", i+1, p, before[p.Name])
		}
	}
	if ps, err = c.Action(ctx, "web", "stop", true); err != nil || len(ps) != 2 || ps[0].State != "stopped" || ps[1].State != "stopped" {
		t.Errorf("stop web: %+v, %v; want both stopped", ps, err)
	}
	if ps, err = c.Action(ctx, "web", "start", true); err != nil || len(ps) != 2 || ps[0].State != "ready" || ps[1].State != "ready" {
		t.Errorf("start web: %+v, %v; want both ready", ps, err)
	}
	if ps, err = c.Action(ctx, "web-2", "restart", true); err != nil || len(ps) != 1 || ps[0].Name != "web-2" {
		t.Errorf("restart web-2: %+v, %v; want web-2 alone", ps, err)
	}
	// What describes one process (logs, stdin, GET) names the copies.
	var api *APIError
	for _, path := range []string{"/v1/processes/web", "/v1/processes/web/logs"} {
		err := c.Do(ctx, http.MethodGet, path, nil, nil)
		if !errorsAs(err, &api) || api.Status != 404 || !strings.Contains(api.Msg, `"web" has 2 replicas: name one of them (web-1 … web-2)`) {
			t.Errorf("GET %s: %v, want 404 naming the copies", path, err)
		}
	}
}

func pids(t *testing.T, c *Client) map[string]int {
	t.Helper()
	ps, err := c.Processes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for _, p := range ps {
		m[p.Name] = p.Pid
	}
	return m
}
