package engine

import "github.com/ovrseer/ovrseer/unit"

// noteKind says what a note tells the lifecycle goroutine.
type noteKind uint8

const (
	noteUnit       noteKind = iota // proc, ev: a unit event the lifecycle cares about
	noteStop                       // reason, code: a stop request started the shutdown (code: its cause, 0 none)
	noteForce                      // code: a second request forced the shutdown
	noteExit                       // code, reason: an explicit exit (ctx.exit)
	noteStopped                    // proc: a stop the lifecycle asked for is over
	noteGateDone                   // err: the running gate list finished
	noteStart                      // proc, once: start it once its deps are up (needs.go)
	noteRetire                     // proc: stopped by the Ovrfile, ended for good (retire.go)
	noteRestart                    // proc, reason: restart it, its restart_on_deps dependents stopped first
	noteHeld                       // proc: a restart_on_deps dependent is stopped and pending
	noteRestartAll                 // restart every main process in deps order (restartall.go)
	noteDrained                    // the hooks queued before the end have run (drain.go)
	noteReload                     // reload: apply a new plan (reload.go)
	noteClosed                     // proc: a core a reload retired is closed (reloadapply.go)
)

// note is one notification for the lifecycle goroutine, posted to its
// mailbox (internal/mailbox): posting never blocks, so unit callbacks can
// post while the lifecycle goroutine calls into units.
type note struct {
	kind   noteKind
	proc   int
	ev     unit.Event
	code   int
	reason string
	err    error
	once   bool // noteUnit: the process runs for RunOnce
	reload *reloadReq
}
