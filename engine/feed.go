package engine

// NewFeed returns a subscription that belongs to no engine: its owner queues
// events with Publish and ends the stream with End. A client of a remote
// stack feeds the terminal UI through it, so the UI drains the same kind of
// subscription in-process and attached. Publish never waits: log events
// beyond opts.LogBuffer are dropped and counted, as for Subscribe.
func NewFeed(opts SubscribeOptions) *Subscription { return newSubscription(nil, opts) }

// Publish queues a copy of ev for the subscriber. It is for subscriptions
// made by NewFeed; after End or Close it does nothing.
func (s *Subscription) Publish(ev *Event) { s.push(ev) }

// End ends the stream of a subscription made by NewFeed: Done is closed and
// Take still returns what is queued.
func (s *Subscription) End() { s.finish() }
