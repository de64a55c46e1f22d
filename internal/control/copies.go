package control

import (
	"net/http"
	"sync"
)

// actionCopies is POST /v1/processes/NAME/restart|stop|start for the name
// of a replicated process: the action on every copy at once (each waited
// for with ?wait=1), answered with the list of copies (docs/api.md).
func (s *Server) actionCopies(w http.ResponseWriter, r *http.Request, action string, copies []string) {
	wait, err := boolParam(r, "wait")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	type outcome struct {
		status int
		err    error
	}
	outs := make([]outcome, len(copies))
	var wg sync.WaitGroup
	for i, name := range copies {
		wg.Go(func() {
			status, err := s.control(r.Context(), action, name, wait)
			outs[i] = outcome{status, err}
		})
	}
	wg.Wait()
	for _, o := range outs {
		if o.err != nil {
			writeError(w, o.status, o.err.Error())
			return
		}
	}
	list := make([]Process, 0, len(copies))
	for _, name := range copies {
		p, ok := s.find(w, name)
		if !ok {
			return
		}
		list = append(list, p)
	}
	writeJSON(w, http.StatusOK, list)
}
