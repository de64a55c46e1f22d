package control

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/logger"
)

// Engine is what the server needs of *engine.Engine (which satisfies it).
type Engine interface {
	Subscribe(engine.SubscribeOptions) *engine.Subscription
	SubscribeSeeded(opts engine.SubscribeOptions, n func(name string) int) (*engine.Subscription, map[string][]logger.Line)
	Snapshot() []engine.ProcessStatus
	Logs(name string, n int) ([]logger.Line, error)
	Start(name string) error
	Stop(name string) error
	Restart(name string) error
	RestartAll() ([]string, error)
	Copies(name string) []string
	WaitReady(ctx context.Context, name string) error
	Send(name, line string) error
	Quit()
	Phase() string
}

// Options describe the run to the server.
type Options struct {
	Paths   Paths
	Version string
	Mode    string                // "dev" or "ci"
	Plan    func(io.Writer) error // writes the plan as `check --json` does
	// Reload reloads the Ovrfile and returns its errors; nil means this
	// version cannot reload (POST /v1/reload answers 501).
	Reload func() []string
}

// Bounds of the server (docs/api.md).
const (
	maxConns          = 512              // connections served at once; more wait in the backlog
	maxHeaderBytes    = 16 << 10         // request line and headers
	maxStdinBytes     = 64 << 10         // POST .../stdin
	readHeaderTimeout = 5 * time.Second  // a client sending nothing is dropped
	idleTimeout       = 60 * time.Second // keep-alive
	writeTimeout      = 10 * time.Second // one write (or flush) of an answer or a stream
	closeGrace        = 2 * time.Second  // followers get the end of the stream
	followLogBuffer   = 4096             // log lines queued for one follower before it loses some
)

// Server is the control server of one run.
type Server struct {
	e       Engine
	opts    Options
	started time.Time
	hist    *history
	histSub *engine.Subscription
	ln      *peerListener
	srv     *http.Server
	served  chan struct{}
	once    sync.Once
}

// Listen starts the server on opts.Paths.Socket, replacing a stale socket
// (the caller holds the Lock). Call it before the engine's Run: its event
// history starts with the subscription.
func Listen(e Engine, opts Options) (*Server, error) {
	ln, err := listen(opts.Paths.Socket)
	if err != nil {
		return nil, err
	}
	s := &Server{e: e, opts: opts, started: time.Now(), hist: newHistory(), ln: ln, served: make(chan struct{})}
	s.histSub = e.Subscribe(engine.SubscribeOptions{LogBuffer: followLogBuffer, NoProcessLines: true}) // it keeps none (keep)
	go s.hist.run(s.histSub)
	s.srv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          discardLog,
	}
	go func() {
		defer close(s.served)
		s.srv.Serve(newLimitListener(ln, maxConns))
	}()
	return s, nil
}

// Close stops the server once the run is over: streams get closeGrace to
// deliver the end of the event stream, then every connection is closed
// and the socket removed. It is idempotent.
func (s *Server) Close() {
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.srv.Close()
		}
		<-s.served
		s.histSub.Close()
		if err := os.Remove(s.opts.Paths.Socket); err != nil && !errors.Is(err, os.ErrNotExist) {
			return
		}
	})
}

// routes is the API of docs/api.md.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/status", s.status)
	mux.HandleFunc("GET /v1/plan", s.plan)
	mux.HandleFunc("GET /v1/processes", s.processes)
	mux.HandleFunc("GET /v1/processes/{name}", s.process)
	mux.HandleFunc("POST /v1/processes/{name}/{action}", s.action)
	mux.HandleFunc("GET /v1/processes/{name}/logs", s.logs)
	mux.HandleFunc("GET /v1/flags", s.flags)
	mux.HandleFunc("GET /v1/events", s.events)
	mux.HandleFunc("POST /v1/reload", s.reload)
	mux.HandleFunc("POST /v1/shutdown", s.shutdown)
	mux.HandleFunc("POST /v1/restart", s.restartAll)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path+" (see docs/api.md)")
	})
	return mux
}
