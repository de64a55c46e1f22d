package engine

import "github.com/ovrseer/ovrseer/logger"

// SubscribeSeeded is Subscribe with the history the subscription does not
// see: for each process with n(name) > 0, up to n(name) of the last lines
// it printed before the subscription began (fewer when its ring dropped
// them since). Each line of those processes is in exactly one of the two,
// so a view that shows the seed and then the events has no gap and no
// duplicate at the seam: the subscriber is added while their line locks
// are held, when each ring holds exactly the lines published so far.
func (e *Engine) SubscribeSeeded(opts SubscribeOptions, n func(name string) int) (*Subscription, map[string][]logger.Line) {
	var seeded []*proc
	for _, p := range e.tab().procs {
		if n(p.name) > 0 {
			seeded = append(seeded, p)
		}
	}
	totals := make([]uint64, len(seeded))
	var sub *Subscription
	var lock func(i int) // holds the line locks of seeded[:i], in order
	lock = func(i int) {
		if i == len(seeded) {
			sub = e.Subscribe(opts)
			return
		}
		seeded[i].unit.Seam(func(total uint64) {
			totals[i] = total
			lock(i + 1)
		})
	}
	lock(0)
	seed := make(map[string][]logger.Line, len(seeded))
	for i, p := range seeded {
		seed[p.name] = p.unit.LogsUpTo(totals[i], n(p.name))
	}
	return sub, seed
}
