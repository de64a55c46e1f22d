package control

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/suggest"
)

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Status{Pid: os.Getpid(), Version: s.opts.Version, Phase: s.e.Phase(),
		Started: s.started.UTC(), Ovrfile: s.opts.Paths.Ovrfile, Mode: s.opts.Mode})
}

func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	if s.opts.Plan == nil {
		writeError(w, http.StatusNotImplemented, "the plan is not available")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	s.opts.Plan(w)
}

func (s *Server) processes(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	snap := s.e.Snapshot()
	out := make([]Process, len(snap))
	for i, ps := range snap {
		out[i] = processOf(ps, now)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) process(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.find(w, r.PathValue("name")); ok {
		writeJSON(w, http.StatusOK, p)
	}
}

// find returns the named process, or answers 404 with a suggestion.
func (s *Server) find(w http.ResponseWriter, name string) (Process, bool) {
	snap := s.e.Snapshot()
	names := make([]string, len(snap))
	for i, ps := range snap {
		if ps.Name == name {
			return processOf(ps, time.Now()), true
		}
		names[i] = ps.Name
	}
	if copies := s.e.Copies(name); len(copies) > 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("%q has %d replicas: name one of them (%s … %s)",
			name, len(copies), copies[0], copies[len(copies)-1]))
		return Process{}, false
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("no process %q%s", name, suggest.DidYouMean(name, names)))
	return Process{}, false
}

// action is POST /v1/processes/NAME/restart|stop|start|stdin.
func (s *Server) action(w http.ResponseWriter, r *http.Request) {
	name, action := r.PathValue("name"), r.PathValue("action")
	switch action {
	case "restart", "stop", "start", "stdin":
	default:
		writeError(w, http.StatusNotFound, fmt.Sprintf("no action %q (restart, stop, start, stdin)", action))
		return
	}
	if copies := s.e.Copies(name); len(copies) > 0 && action != "stdin" {
		s.actionCopies(w, r, action, copies)
		return
	}
	if _, ok := s.find(w, name); !ok {
		return
	}
	if action == "stdin" {
		s.stdin(w, r, name)
		return
	}
	wait, err := boolParam(r, "wait")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if status, err := s.control(r.Context(), action, name, wait); err != nil {
		writeError(w, status, err.Error())
		return
	}
	if p, ok := s.find(w, name); ok {
		writeJSON(w, http.StatusOK, p)
	}
}

// stdin writes the body, one line, to the process.
func (s *Server) stdin(w http.ResponseWriter, r *http.Request, name string) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxStdinBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the line is longer than %d bytes", maxStdinBytes))
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, "reading the line: "+err.Error())
		return
	}
	line := strings.TrimSuffix(string(body), "\n")
	if strings.ContainsAny(line, "\n") {
		writeError(w, http.StatusBadRequest, "one line only: the body holds a newline")
		return
	}
	if err := s.e.Send(name, line); err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	p, _ := s.find(w, name)
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) reload(w http.ResponseWriter, r *http.Request) {
	if s.opts.Reload == nil {
		writeError(w, http.StatusNotImplemented, "reload is not available in this version of ovrseer: restart the run to apply Ovrfile changes")
		return
	}
	errs := s.opts.Reload()
	if errs == nil {
		errs = []string{}
	}
	writeJSON(w, http.StatusOK, reloadResult{Errors: errs})
}

// shutdown starts the orderly shutdown; a second request forces it.
func (s *Server) shutdown(w http.ResponseWriter, r *http.Request) {
	s.e.Quit()
	writeJSON(w, http.StatusAccepted, map[string]string{"phase": s.e.Phase()})
}

// flags is every flag:matched event still in the history.
func (s *Server) flags(w http.ResponseWriter, r *http.Request) {
	recs, _, _, _ := s.hist.since(0, historySize, nil)
	out := []json.RawMessage{}
	for _, rec := range recs {
		if rec.ev.Type == engine.FlagMatched {
			out = append(out, rec.ev.AppendJSON(nil))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// boolParam reads ?NAME=1 (also true/yes; 0/false/no or absent is false).
func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); strings.ToLower(v) {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "yes":
		return true, nil
	default:
		return false, fmt.Errorf("?%s=%s: want 1 or 0", name, v)
	}
}

// intParam reads ?NAME=N, a non-negative integer, or def when absent.
func intParam(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("?%s=%s: want a non-negative integer", name, v)
	}
	return n, nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(append(data, '\n'))
}

func writeError(w http.ResponseWriter, code int, msg string) {
	data, _ := json.Marshal(apiError{Error: msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(append(data, '\n'))
}
