package control

import (
	"context"
	"slices"
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

// POST /v1/restart (R of `ovrseer attach`) restarts every main process in
// deps order through the engine: with db → api, api stops before db and
// starts again only once db is ready again; it answers with their names.
func TestRestartAllThroughTheAPI(t *testing.T) {
	db := shProc("db", "echo up; exec sleep 100")
	api := shProc("api", "echo up; exec sleep 100")
	api.Deps = []string{"db"}
	e, c := startStack(t, api, db)
	waitReady(t, e, "api")
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	body, err := c.Stream(ctx, "/v1/events?follow=1")
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	names, err := NewRemote(c).RestartAll()
	if err != nil || !slices.Equal(names, []string{"api", "db"}) {
		t.Fatalf("RestartAll: %v, %v", names, err)
	}
	var seen []string
	spawns := 0
	Lines(body, func(line []byte) bool {
		var ev engine.Event
		if _, err := DecodeEvent(line, &ev); err != nil || ev.Process == "" {
			return true
		}
		seen = append(seen, string(ev.Type)+" "+ev.Process)
		if ev.Type == engine.ProcessSpawn && ev.Process == "api" {
			spawns++
		}
		return spawns < 2
	})
	want := []string{"process:exit api", "process:exit db", "process:spawn db", "process:ready db", "process:spawn api"}
	i := 0
	for _, s := range seen {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("events %v, want in order %v", seen, want)
	}
}
