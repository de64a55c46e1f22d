package control

import (
	"context"
	"net/http"

	"github.com/ovrseer/ovrseer/engine"
)

// restartAllResult is POST /v1/restart.
type restartAllResult struct {
	Restarted []string `json:"restarted"`
}

// restartAll is POST /v1/restart: every main process, in deps order, as R
// in the terminal UI (engine.Engine.RestartAll); it answers at once with
// their names, and the restart goes on (GET /v1/events follows it).
// With ?wait=1 it answers once every one of them is ready (or completed)
// again, or with the first that failed (409).
func (s *Server) restartAll(w http.ResponseWriter, r *http.Request) {
	wait, err := boolParam(r, "wait")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var sub *engine.Subscription
	if wait {
		sub = s.e.Subscribe(engine.SubscribeOptions{LogBuffer: 1}) // before the restart: no event missed
		defer sub.Close()
	}
	names, err := s.e.RestartAll()
	if err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	if names == nil {
		names = []string{}
	}
	if wait {
		if status, err := s.awaitOutcomes(r.Context(), sub, names); err != nil {
			writeError(w, status, err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, restartAllResult{Restarted: names})
}

// RestartAll is POST /v1/restart (with wait: ?wait=1): the names of the
// processes restarted.
func (c *Client) RestartAll(ctx context.Context, wait bool) ([]string, error) {
	path := "/v1/restart"
	if wait {
		path += "?wait=1"
	}
	var res restartAllResult
	if err := c.Do(ctx, http.MethodPost, path, nil, &res); err != nil {
		return nil, err
	}
	return res.Restarted, nil
}
