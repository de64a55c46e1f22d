package engine

import "github.com/ovrseer/ovrseer/unit"

// lifecycle:main-started comes once every main process the launch started
// (those without pending deps) has been spawned: its process:spawn events
// come first (docs/events.md). A process whose spawn failed counts as
// spawned. After the shutdown began it is not published.

// awaitSpawn makes main-started wait for the spawn of p, a main process
// the lifecycle starts (and not already running: one a gate started spawns
// no more) before main-started was published.
func (r *run) awaitSpawn(p *proc) {
	if p.group == Main && !r.mainStarted {
		r.views[p.idx].spawning = true
		r.spawns++
	}
}

// spawnSeen ends main-started's wait for p when ev shows it was spawned, or
// could not be (it settled without a spawn event).
func (r *run) spawnSeen(p *proc, ev *unit.Event) {
	v := &r.views[p.idx]
	if !v.spawning {
		return
	}
	switch ev.Kind {
	case unit.EventSpawn, unit.EventExit, unit.EventCrash, unit.EventFailed:
	case unit.EventState:
		if !settled(ev.State) {
			return
		}
	default:
		return
	}
	v.spawning = false
	r.spawns--
	r.checkMainStarted()
}

// checkMainStarted publishes main-started once no spawn is awaited, then
// checks for main-ready.
func (r *run) checkMainStarted() {
	if r.mainStarted || r.spawns > 0 || r.stopping || !r.launched[groupIndex(Main)] {
		return
	}
	r.mainStarted = true
	r.e.phase.CompareAndSwap(uint32(phaseMain), uint32(phaseRunning))
	r.publish(Event{Type: MainStarted})
	r.checkMainReady()
}
