package control

import (
	"context"
	"net/http"
)

// restartAllResult is POST /v1/restart.
type restartAllResult struct {
	Restarted []string `json:"restarted"`
}

// restartAll is POST /v1/restart: every main process, in deps order, as R
// in the terminal UI (engine.Engine.RestartAll); it answers at once with
// their names, and the restart goes on (GET /v1/events follows it).
func (s *Server) restartAll(w http.ResponseWriter, r *http.Request) {
	names, err := s.e.RestartAll()
	if err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	if names == nil {
		names = []string{}
	}
	writeJSON(w, http.StatusOK, restartAllResult{Restarted: names})
}

// RestartAll is POST /v1/restart: the names of the processes restarted.
func (c *Client) RestartAll(ctx context.Context) ([]string, error) {
	var res restartAllResult
	if err := c.Do(ctx, http.MethodPost, "/v1/restart", nil, &res); err != nil {
		return nil, err
	}
	return res.Restarted, nil
}
