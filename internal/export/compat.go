package export

import (
	"fmt"
	"strings"

	"github.com/ovrseer/ovrseer/starlib"
)

// compatNotes lists the options no target engine gets from an export:
// env_file, $VAR in env, ok_codes, after() conditions, stop_cmd, health
// (docs/export.md).
func compatNotes(ovr *starlib.Ovrfile) []Note {
	var notes []Note
	for _, p := range ovr.Plan.Processes {
		s := &p.Spec
		if len(s.EnvFiles) > 0 {
			notes = append(notes, Note{p.Name, "env_file", "ovrseer reads the dotenv files at each spawn; copy the variables into env"})
		}
		for _, kv := range s.Env {
			if strings.Contains(kv, "$") {
				notes = append(notes, Note{p.Name, "env " + strings.SplitN(kv, "=", 2)[0], "written unexpanded: ovrseer expands $VAR at spawn"})
			}
		}
		if len(s.OkCodes) > 0 {
			notes = append(notes, Note{p.Name, fmt.Sprintf("ok_codes = %v", s.OkCodes), "the engine counts only exit 0 as success"})
		}
		for d, c := range p.After {
			notes = append(notes, Note{p.Name, fmt.Sprintf("after(%q, %q)", d, c), "ordered as a plain dep"})
		}
		if len(s.StopCmd) > 0 {
			notes = append(notes, Note{p.Name, "stop_cmd", "the engine stops with the stop signal"})
		}
		if len(p.Watch) > 0 {
			notes = append(notes, Note{p.Name, "watch = " + strings.Join(p.Watch, ", "), "no engine restarts a service when its files change; that is for development"})
		}
		if s.Health != nil {
			notes = append(notes, Note{p.Name, "health " + s.Health.Check.String(), "no liveness restart by the engine"})
		}
	}
	return notes
}
