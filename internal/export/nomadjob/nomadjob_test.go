package nomadjob

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/ovrseer/ovrseer/internal/export"
	"github.com/ovrseer/ovrseer/starlib"
)

// decode exports path as a Nomad job and decodes it the strict way: a
// field Nomad does not know, or a value of the wrong type, fails.
func decode(t *testing.T, path string) *api.Job {
	t.Helper()
	o, err := starlib.Load(path, starlib.Options{Mode: "dev", Getenv: func(string) string { return "" }, Print: func(string) {}})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	res, err := export.Export(o, export.Options{Format: "nomad", Root: "/srv/app"})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var file struct{ Job *api.Job }
	dec := json.NewDecoder(bytes.NewReader(res.Files[0].Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		t.Fatalf("decode into api.Job: %v\n%s", err, res.Files[0].Data)
	}
	if file.Job == nil {
		t.Fatal("no Job")
	}
	return file.Job
}

func tasks(t *testing.T, job *api.Job) map[string]*api.Task {
	t.Helper()
	if *job.Type != "service" || len(job.TaskGroups) != 1 {
		t.Fatalf("want one service job with one group, got type %s, %d groups", *job.Type, len(job.TaskGroups))
	}
	g := job.TaskGroups[0]
	if r := g.ReschedulePolicy; r == nil || *r.Attempts != 0 || *r.Unlimited {
		t.Errorf("group reschedule: want attempts 0, not unlimited; got %+v", r)
	}
	out := map[string]*api.Task{}
	for _, task := range g.Tasks {
		if task.Driver != "raw_exec" {
			t.Errorf("%s: driver %s", task.Name, task.Driver)
		}
		out[task.Name] = task
	}
	return out
}

func lifecycle(task *api.Task) string {
	if task.Lifecycle == nil {
		return "main"
	}
	if task.Lifecycle.Sidecar {
		return task.Lifecycle.Hook + "+sidecar"
	}
	return task.Lifecycle.Hook
}

func TestExampleJob(t *testing.T) {
	job := decode(t, "../../../examples/Ovrfile.star")
	ts := tasks(t, job)
	want := map[string]string{
		"db": "prestart+sidecar", "cache": "prestart+sidecar",
		"web": "main", "api": "main", "worker": "main", "greeter": "main", "flaky": "main", "smoke": "main",
		"flush-cache": "poststop", "archive-logs": "poststop",
	}
	for name, hook := range want {
		task := ts[name]
		if task == nil {
			t.Errorf("no task %s", name)
			continue
		}
		if got := lifecycle(task); got != hook {
			t.Errorf("%s: lifecycle %s, want %s", name, got, hook)
		}
	}
	if len(ts) != len(want) {
		t.Errorf("%d tasks, want %d", len(ts), len(want))
	}
	if job.Meta["ovrseer"] == "" {
		t.Error("no note that raw_exec must be enabled")
	}
	flaky := ts["flaky"].RestartPolicy
	if *flaky.Attempts != 2 || *flaky.Delay != time.Second || *flaky.Mode != "fail" {
		t.Errorf("flaky restart: got attempts %d delay %v mode %s, want 2, 1s, fail", *flaky.Attempts, *flaky.Delay, *flaky.Mode)
	}
	if db := ts["db"]; db.KillSignal != "SIGINT" || *db.KillTimeout != 10*time.Second {
		t.Errorf("db: kill_signal %s kill_timeout %v, want SIGINT 10s", db.KillSignal, *db.KillTimeout)
	}
	if cmd := ts["web"].Config["command"]; cmd != "/bin/sh" {
		t.Errorf("web: command %v", cmd)
	}
}

func TestFullJob(t *testing.T) {
	ts := tasks(t, decode(t, "../testdata/full/Ovrfile.star"))
	if got := lifecycle(ts["migrate"]); got != "prestart" {
		t.Errorf("migrate (ready.exit): lifecycle %s, want prestart without sidecar", got)
	}
	pg := ts["postgres"]
	if len(pg.Services) != 1 || len(pg.Services[0].Checks) != 1 {
		t.Fatalf("postgres: want one service with one check, got %+v", pg.Services)
	}
	if s, c := pg.Services[0], pg.Services[0].Checks[0]; c.Type != "tcp" || s.Address != "127.0.0.1" || s.PortLabel != "5432" || s.Provider != "nomad" {
		t.Errorf("postgres check: %+v on %s:%s (%s)", c, s.Address, s.PortLabel, s.Provider)
	}
	if pg.Env["PGDATA"] != "data dir" || pg.Env["PGOPTIONS"] != `-c search_path="app" $HOME 100%` {
		t.Errorf("postgres env: %q", pg.Env)
	}
	api := ts["api"]
	if len(api.Services) != 1 {
		t.Fatalf("api: want one service (the http check; exec is not exported), got %d", len(api.Services))
	}
	if c := api.Services[0].Checks[0]; c.Type != "http" || c.Path != "/health?full=1" || c.Protocol != "http" || api.Services[0].PortLabel != "8080" {
		t.Errorf("api http check: %+v", c)
	}
	if r := api.RestartPolicy; *r.Attempts != 5 || *r.Delay != 500*time.Millisecond || *r.Mode != "fail" || *r.Interval < 5*time.Duration(*r.Attempts)*(*r.Delay) {
		t.Errorf("api restart: %+v", r)
	}
	if r := ts["worker"].RestartPolicy; *r.Attempts != 0 {
		t.Errorf("worker (max_restarts 0): attempts %d", *r.Attempts)
	}
	args, _ := api.Config["args"].([]any)
	if len(args) < 4 || args[2] != "/srv/app/services/api" || args[3] != "/srv/app/services/api/bin/api" {
		t.Errorf("api args: %q (want the directory, then the resolved argv)", args)
	}
	for _, name := range []string{"drain", "notify", "vacuum"} {
		if got := lifecycle(ts[name]); got != "poststop" {
			t.Errorf("%s: lifecycle %s, want poststop", name, got)
		}
	}
}
