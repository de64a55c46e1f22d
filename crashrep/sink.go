package crashrep

// Sink stores reports. Write returns where the report went (a path for Dir).
// Write is called on a goroutine of its own, concurrently for different
// processes, and may block: the caller bounds its wait (a unit publishes the
// crash without the report after 2 s) and never holds anything meanwhile.
type Sink interface {
	Write(r *Report) (string, error)
}
