package engine

// SubscribeOptions tune a subscription.
type SubscribeOptions struct {
	// LogBuffer bounds the process:log events held for a subscriber that has
	// not taken them; beyond it they are dropped and counted. 0 means 65536.
	// Other events are never dropped.
	LogBuffer int
}

// Subscription is one subscriber's queue of events. Publishing never waits
// for it.
type Subscription struct{}

// Ready is signalled whenever events are waiting to be taken.
func (s *Subscription) Ready() <-chan struct{} { panic("unimplemented") }

// Done is closed after the last event (lifecycle:exit) was queued or the
// subscription was closed; Take still returns what is left.
func (s *Subscription) Done() <-chan struct{} { panic("unimplemented") }

// Take appends every waiting event to dst, in publication order, and returns
// it. Lost log events appear as one EventsDropped event where they were lost.
func (s *Subscription) Take(dst []Event) []Event { panic("unimplemented") }

// Close ends the subscription.
func (s *Subscription) Close() { panic("unimplemented") }
