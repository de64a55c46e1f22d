package crashrep

// Sink stores reports. Write returns where the report went (a path for Dir).
type Sink interface {
	Write(r *Report) (string, error)
}
